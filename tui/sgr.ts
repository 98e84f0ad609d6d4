/**
 * SGR escape sequences for {@linkcode Style}s, degraded to what the terminal can show: 256
 * colours, the 16 ANSI colours, or none (NO_COLOR), where bold/reverse/underline still work.
 * @module
 */

import { Attr, PLAIN, type Style, styleAttrs, styleBg, styleFg } from "./style.ts";

/** How many colours the terminal is asked to show. */
export type ColorLevel = "none" | "ansi16" | "ansi256";

/**
 * Colour level from the environment: NO_COLOR (any non-empty value) or TERM=dumb turn colour
 * off; a 256-colour or truecolor terminal gets 256 colours; anything else the 16 ANSI colours.
 * @example
 * ```ts
 * const level = detectColorLevel(Deno.env);
 * ```
 */
export function detectColorLevel(env: { get(name: string): string | undefined }): ColorLevel {
  if ((env.get("NO_COLOR") ?? "") !== "") return "none";
  const term = env.get("TERM") ?? "";
  if (term === "dumb") return "none";
  const colorterm = env.get("COLORTERM") ?? "";
  if (colorterm === "truecolor" || colorterm === "24bit" || term.includes("256")) return "ansi256";
  return "ansi16";
}

// Grey ramp and 6x6x6 cube of the xterm palette, as 0..1 channels.
function paletteRgb(index: number): [number, number, number] {
  if (index >= 232) {
    const v = ((index - 232) * 10 + 8) / 255;
    return [v, v, v];
  }
  const c = index - 16;
  return [Math.floor(c / 36) / 5, Math.floor((c % 36) / 6) / 5, (c % 6) / 5];
}

/**
 * Nearest of the 16 ANSI colours to a palette colour. Hue-preserving (like chalk's mapping),
 * with greys sent to grey/white so dim UI chrome does not vanish into a black background.
 * @example
 * ```ts
 * to16(114); // 2 (green)
 * ```
 */
export function to16(index: number): number {
  if (index < 16) return index;
  const [r, g, b] = paletteRgb(index);
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max - min < 0.15) {
    if (max < 0.12) return 0;
    if (max < 0.6) return 8;
    return max < 0.9 ? 7 : 15;
  }
  const on = (c: number) => (c / max >= 0.6 ? 1 : 0);
  const code = (on(b) << 2) | (on(g) << 1) | on(r);
  return max >= 0.9 ? code + 8 : code;
}

/**
 * The style as the terminal will show it at a colour level: colours mapped down or dropped,
 * MonoReverse turned into Reverse when there is no colour.
 * @example
 * ```ts
 * normalizeStyle(style({ fg: palette(114) }), "none"); // PLAIN
 * ```
 */
export function normalizeStyle(s: Style, level: ColorLevel): Style {
  const attrs = styleAttrs(s) & ~Attr.MonoReverse;
  if (level === "none") {
    return ((s & Attr.MonoReverse) ? attrs | Attr.Reverse : attrs) as Style;
  }
  const fg = styleFg(s);
  const bg = styleBg(s);
  const map = level === "ansi16" ? to16 : (i: number) => i;
  let out = attrs;
  if (fg !== undefined) out |= map(fg) + 1;
  if (bg !== undefined) out |= (map(bg) + 1) << 9;
  return out as Style;
}

function colorParam(index: number, base: number, brightBase: number): string {
  if (index < 8) return String(base + index);
  if (index < 16) return String(brightBase + index - 8);
  return `${base + 8};5;${index}`;
}

const ATTR_CODES: ReadonlyArray<readonly [number, string]> = [
  [Attr.Bold, "1"],
  [Attr.Dim, "2"],
  [Attr.Italic, "3"],
  [Attr.Underline, "4"],
  [Attr.Reverse, "7"],
];

function transition(from: Style, to: Style): string {
  if (from === to) return "";
  const params: string[] = [];
  const fromAttrs = styleAttrs(from);
  const toAttrs = styleAttrs(to);
  // Turning one attribute off has no portable code (22 clears bold and dim together), so reset.
  const reset = (fromAttrs & ~toAttrs) !== 0;
  if (reset) params.push("0");
  const base = reset ? PLAIN : from;
  for (const [bit, code] of ATTR_CODES) {
    if ((toAttrs & bit) && !(styleAttrs(base) & bit)) params.push(code);
  }
  const fg = styleFg(to);
  if (fg !== styleFg(base)) params.push(fg === undefined ? "39" : colorParam(fg, 30, 90));
  const bg = styleBg(to);
  if (bg !== styleBg(base)) params.push(bg === undefined ? "49" : colorParam(bg, 40, 100));
  return params.length === 0 ? "" : `\x1b[${params.join(";")}m`;
}

const cache = new Map<number, string>();

/**
 * The shortest SGR sequence that changes the terminal from style `from` to style `to`. Both are
 * already normalized (see {@linkcode normalizeStyle}); "" when nothing changes.
 * @example
 * ```ts
 * sgrTransition(PLAIN, style({ bold: true })); // "\x1b[1m"
 * ```
 */
export function sgrTransition(from: Style, to: Style): string {
  // Styles fit in 24 bits, so the pair is an exact key below 2^48.
  const key = from * 0x1000000 + to;
  let seq = cache.get(key);
  if (seq === undefined) {
    seq = transition(from, to);
    if (cache.size > 4096) cache.clear();
    cache.set(key, seq);
  }
  return seq;
}
