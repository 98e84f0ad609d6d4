/**
 * The styles every view uses, in one place so colour stays restrained and consistent. Colours
 * are 256-palette indices; {@linkcode normalizeStyle} degrades them for 16-colour and NO_COLOR
 * terminals, where glyphs, bold and reverse carry the meaning instead.
 * @module
 */

import { palette, PLAIN, type Style, style, withStyle } from "./style.ts";

const ACCENT = palette(75);
const GREEN = palette(114);
const PURPLE = palette(141);
const GOLD = palette(179);
const RED = palette(167);
const GREY = palette(245);
const DARK = palette(240);
const SELECT_BG = palette(237);

/**
 * Named styles of the UI.
 * @example
 * ```ts
 * buf.text(0, 0, "↓ 5 MiB/s", theme.down);
 * ```
 */
export const theme = {
  plain: PLAIN,
  bold: style({ bold: true }),
  dim: style({ fg: GREY }),
  faint: style({ fg: DARK }),
  accent: style({ fg: ACCENT }),
  accentBold: style({ fg: ACCENT, bold: true }),
  down: style({ fg: GREEN }),
  downBold: style({ fg: GREEN, bold: true }),
  up: style({ fg: PURPLE }),
  upBold: style({ fg: PURPLE, bold: true }),
  good: style({ fg: GREEN }),
  warn: style({ fg: GOLD }),
  warnBold: style({ fg: GOLD, bold: true }),
  bad: style({ fg: RED }),
  badBold: style({ fg: RED, bold: true }),
  border: style({ fg: DARK }),
  borderFocus: style({ fg: ACCENT }),
  title: style({ bold: true }),
  titleFocus: style({ fg: ACCENT, bold: true }),
  tableHeader: style({ fg: GREY, underline: true }),
  tableHeaderSorted: style({ fg: ACCENT, underline: true, bold: true }),
  barFill: style({ fg: GREEN }),
  barEmpty: style({ fg: palette(238) }),
  /** Small in-table bars: quieter than the header's. */
  barMini: style({ fg: palette(65) }),
  pieceHave: style({ fg: palette(71) }),
  pieceActive: style({ fg: GOLD }),
  pieceMissing: style({ fg: palette(238) }),
  piecePriority: style({ fg: palette(170) }),
  pieceSkipped: style({ fg: palette(236) }),
  piecePartial: style({ fg: palette(71), bg: palette(236) }),
  pieceSelectedPeer: style({ fg: ACCENT, bold: true }),
  /** URLs: underlined too, so they read as links without colour. */
  link: style({ fg: ACCENT, underline: true }),
  hintKey: style({ fg: ACCENT, bold: true }),
  hintLabel: style({ fg: GREY }),
} as const satisfies Record<string, Style>;

/**
 * The selected-row version of a style: a grey background, or reverse video without colour.
 * @example
 * ```ts
 * const s = selected(theme.down);
 * ```
 */
export function selected(s: Style): Style {
  return withStyle(s, { bg: SELECT_BG, monoReverse: true });
}
