/**
 * Styled runs of text, and lines of them that drop their least important parts to fit a width
 * (headers and the key-hint bar shrink gracefully on narrow terminals).
 * @module
 */

import type { CellBuffer } from "../cell_buffer.ts";
import type { Style } from "../style.ts";
import { textWidth } from "../text.ts";

/** A run of text in one style. */
export interface Span {
  readonly text: string;
  readonly style: Style;
}

/** A group of spans shown or dropped together; higher `keep` survives longer. */
export interface Segment {
  readonly spans: readonly Span[];
  readonly keep: number;
}

/**
 * Total width of spans in cells.
 * @example
 * ```ts
 * spansWidth([{ text: "ab", style: PLAIN }]); // 2
 * ```
 */
export function spansWidth(spans: readonly Span[]): number {
  let w = 0;
  for (const s of spans) w += textWidth(s.text);
  return w;
}

/**
 * Draws spans from (x, y), clipped to `maxWidth`; returns the cells used.
 * @example
 * ```ts
 * drawSpans(buf, 0, 0, [{ text: "↓ ", style: theme.down }], 80);
 * ```
 */
export function drawSpans(
  buf: CellBuffer,
  x: number,
  y: number,
  spans: readonly Span[],
  maxWidth: number,
): number {
  let used = 0;
  for (const s of spans) {
    if (used >= maxWidth) break;
    used += buf.text(x + used, y, s.text, s.style, maxWidth - used);
  }
  return used;
}

/**
 * The segments that fit in `width` with `gap` cells between them, dropping the lowest `keep`
 * first (ties: the later one), in their original order.
 * @example
 * ```ts
 * fitSegments(segments, 40, 2);
 * ```
 */
export function fitSegments(
  segments: readonly Segment[],
  width: number,
  gap: number,
): Segment[] {
  const kept = [...segments];
  const total = () =>
    kept.reduce((w, s) => w + spansWidth(s.spans), 0) + Math.max(0, kept.length - 1) * gap;
  while (kept.length > 0 && total() > width) {
    let drop = kept.length - 1;
    for (let i = kept.length - 1; i >= 0; i--) if (kept[i].keep < kept[drop].keep) drop = i;
    kept.splice(drop, 1);
  }
  return kept;
}

/**
 * Joins segments into one span list with `gap` spaces between them.
 * @example
 * ```ts
 * joinSegments(fitSegments(segments, 40, 2), 2);
 * ```
 */
export function joinSegments(segments: readonly Segment[], gap: number, gapStyle: Style): Span[] {
  const out: Span[] = [];
  segments.forEach((s, i) => {
    if (i > 0) out.push({ text: " ".repeat(gap), style: gapStyle });
    out.push(...s.spans);
  });
  return out;
}
