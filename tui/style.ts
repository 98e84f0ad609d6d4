/**
 * Cell styles packed into one small integer, so a frame of thousands of cells stores styles in a
 * typed array and compares them with `===`.
 *
 * Layout: bits 0-8 foreground (0 = terminal default, 1..256 = palette index + 1), bits 9-17
 * background (same encoding), bits 18+ attributes.
 * @module
 */

/** An xterm 256-colour palette index. Make one with {@linkcode palette}. */
export type Color = number & { readonly __color: unique symbol };

/** A packed cell style. Make one with {@linkcode style}. */
export type Style = number & { readonly __style: unique symbol };

/**
 * A palette colour, checked to be an integer in 0..255.
 * @example
 * ```ts
 * const green = palette(114);
 * ```
 */
export function palette(index: number): Color {
  if (!Number.isInteger(index) || index < 0 || index > 255) {
    throw new RangeError(`palette index out of range: ${index}`);
  }
  return index as Color;
}

/**
 * Attribute bits, above the two 9-bit colour fields.
 * @example
 * ```ts
 * (styleAttrs(s) & Attr.Bold) !== 0;
 * ```
 */
export const Attr = {
  Bold: 1 << 18,
  Dim: 1 << 19,
  Italic: 1 << 20,
  Underline: 1 << 21,
  Reverse: 1 << 22,
  /** Reverse video only when colours are off: keeps selections visible under NO_COLOR. */
  MonoReverse: 1 << 23,
} as const;

/** What a style is made of; every field optional. */
export interface StyleSpec {
  readonly fg?: Color;
  readonly bg?: Color;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly italic?: boolean;
  readonly underline?: boolean;
  readonly reverse?: boolean;
  /** Reverse video when the terminal shows no colour (so a background-only highlight survives). */
  readonly monoReverse?: boolean;
}

/**
 * The terminal's default style.
 * @example
 * ```ts
 * buf.text(0, 0, "plain text", PLAIN);
 * ```
 */
export const PLAIN = 0 as Style;

const COLOR_MASK = 0x1ff;
const BG_SHIFT = 9;

/**
 * Packs a style.
 * @example
 * ```ts
 * const title = style({ fg: palette(75), bold: true });
 * ```
 */
export function style(spec: StyleSpec): Style {
  let s = 0;
  if (spec.fg !== undefined) s |= spec.fg + 1;
  if (spec.bg !== undefined) s |= (spec.bg + 1) << BG_SHIFT;
  if (spec.bold) s |= Attr.Bold;
  if (spec.dim) s |= Attr.Dim;
  if (spec.italic) s |= Attr.Italic;
  if (spec.underline) s |= Attr.Underline;
  if (spec.reverse) s |= Attr.Reverse;
  if (spec.monoReverse) s |= Attr.MonoReverse;
  return s as Style;
}

/**
 * Foreground palette index, or undefined for the terminal default.
 * @example
 * ```ts
 * styleFg(style({ fg: palette(3) })); // 3
 * ```
 */
export function styleFg(s: Style): number | undefined {
  const v = s & COLOR_MASK;
  return v === 0 ? undefined : v - 1;
}

/**
 * Background palette index, or undefined for the terminal default.
 * @example
 * ```ts
 * styleBg(style({ bg: palette(236) })); // 236
 * ```
 */
export function styleBg(s: Style): number | undefined {
  const v = (s >>> BG_SHIFT) & COLOR_MASK;
  return v === 0 ? undefined : v - 1;
}

/**
 * The attribute bits of a style (see {@linkcode Attr}).
 * @example
 * ```ts
 * (styleAttrs(style({ bold: true })) & Attr.Bold) !== 0; // true
 * ```
 */
export function styleAttrs(s: Style): number {
  return s & ~((COLOR_MASK << BG_SHIFT) | COLOR_MASK);
}

/**
 * A style with some fields replaced (attributes are added, colours overridden).
 * @example
 * ```ts
 * const boldRed = withStyle(style({ fg: palette(1) }), { bold: true });
 * ```
 */
export function withStyle(base: Style, extra: StyleSpec): Style {
  let s: number = base;
  if (extra.fg !== undefined) s = (s & ~COLOR_MASK) | (extra.fg + 1);
  if (extra.bg !== undefined) s = (s & ~(COLOR_MASK << BG_SHIFT)) | ((extra.bg + 1) << BG_SHIFT);
  return (s | styleAttrs(style({ ...extra, fg: undefined, bg: undefined }))) as Style;
}
