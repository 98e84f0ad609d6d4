/**
 * The key-hint bar on the bottom line: the keys that do something right now, dropping the less
 * useful ones on narrow screens.
 * @module
 */

import type { CellBuffer, Rect } from "../cell_buffer.ts";
import { theme } from "../theme.ts";
import { drawSpans, fitSegments, joinSegments, type Segment } from "../widgets/spans.ts";

/** One hint: the key(s) and what they do; higher `keep` survives longer. */
export interface Hint {
  readonly key: string;
  readonly label: string;
  readonly keep: number;
}

/**
 * Draws the hints left-aligned, with the program name on the right when there is room.
 * @example
 * ```ts
 * renderHints(buf, rect, [{ key: "q", label: "quit", keep: 9 }]);
 * ```
 */
export function renderHints(buf: CellBuffer, rect: Rect, hints: readonly Hint[]): void {
  if (rect.height < 1 || rect.width < 2) return;
  const segments: Segment[] = hints.map((h) => ({
    keep: h.keep,
    spans: [{ text: h.key, style: theme.hintKey }, { text: ` ${h.label}`, style: theme.hintLabel }],
  }));
  const spans = joinSegments(fitSegments(segments, rect.width - 2, 2), 2, theme.plain);
  const used = drawSpans(buf, rect.x + 1, rect.y, spans, rect.width - 2);
  const brand = "bittorrent-ts";
  if (rect.width - 2 - used >= brand.length + 4) {
    buf.text(rect.x + rect.width - 1 - brand.length, rect.y, brand, theme.faint);
  }
}
