/**
 * Rate history graphs: one column a sample, newest on the right, several rows tall with
 * eighth-block resolution.
 * @module
 */

import type { CellBuffer, Rect } from "../cell_buffer.ts";
import type { Style } from "../style.ts";

const LEVELS = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/**
 * Column heights in eighths of a cell for each sample, scaled so `max` fills `rows` rows.
 * Any non-zero sample shows at least one eighth.
 * @example
 * ```ts
 * graphHeights([0, 5, 10], 10, 1); // [0, 4, 8]
 * ```
 */
export function graphHeights(samples: readonly number[], max: number, rows: number): number[] {
  const top = rows * 8;
  return samples.map((v) => {
    if (!(v > 0) || !(max > 0)) return 0;
    return Math.max(1, Math.min(top, Math.round((v / max) * top)));
  });
}

/**
 * Draws the most recent samples that fit, right-aligned, scaled to `max` (default: their peak).
 * Zero samples draw a faint baseline so the time axis stays visible.
 * @example
 * ```ts
 * drawGraph(buf, { x: 1, y: 2, width: 60, height: 3 }, history.down, theme.down, theme.faint);
 * ```
 */
export function drawGraph(
  buf: CellBuffer,
  rect: Rect,
  samples: readonly number[],
  bar: Style,
  baseline: Style,
  max?: number,
): void {
  if (rect.width <= 0 || rect.height <= 0) return;
  const shown = samples.slice(-rect.width);
  const heights = graphHeights(shown, max ?? Math.max(0, ...shown), rect.height);
  const left = rect.x + rect.width - shown.length;
  for (let i = 0; i < heights.length; i++) {
    const h = heights[i];
    for (let r = 0; r < rect.height; r++) {
      const y = rect.y + rect.height - 1 - r;
      const level = Math.min(8, Math.max(0, h - r * 8));
      if (level > 0) buf.set(left + i, y, LEVELS[level], 1, bar);
      else if (r === 0) buf.set(left + i, y, "▁", 1, baseline);
    }
  }
}
