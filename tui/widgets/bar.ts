/**
 * Horizontal progress bars with eighth-cell resolution.
 * @module
 */

import type { CellBuffer } from "../cell_buffer.ts";
import type { Style } from "../style.ts";

const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/**
 * The bar as text: full blocks, one partial block, then `empty` characters; exactly `width` cells.
 * @example
 * ```ts
 * barText(0.5, 4); // "██░░"
 * ```
 */
export function barText(fraction: number, width: number, empty = "░"): string {
  if (width <= 0) return "";
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const eighths = Math.round(f * width * 8);
  const full = Math.floor(eighths / 8);
  const part = EIGHTHS[eighths % 8];
  return "█".repeat(full) + part + empty.repeat(width - full - (part ? 1 : 0));
}

/**
 * Draws a progress bar: the filled part in `fill`, the rest in `empty`.
 * @example
 * ```ts
 * drawBar(buf, 0, 1, 40, 0.42, theme.barFill, theme.barEmpty);
 * ```
 */
export function drawBar(
  buf: CellBuffer,
  x: number,
  y: number,
  width: number,
  fraction: number,
  fill: Style,
  empty: Style,
): void {
  const text = barText(fraction, width);
  let i = 0;
  for (const ch of text) {
    buf.set(x + i, y, ch, 1, ch === "░" ? empty : fill);
    i++;
  }
}
