/**
 * Download and upload rate graphs of the last minute, with current, peak and session totals.
 * @module
 */

import type { TorrentSnapshot } from "../../src/torrent/snapshot.ts";
import { formatBytes, formatRate } from "../../src/util/format.ts";
import type { CellBuffer, Rect } from "../cell_buffer.ts";
import type { Style } from "../style.ts";
import { theme } from "../theme.ts";
import type { UiState } from "../ui_state.ts";
import { drawBox } from "../widgets/box.ts";
import { drawGraph } from "../widgets/graph.ts";
import { drawSpans, fitSegments, joinSegments, type Segment } from "../widgets/spans.ts";

function label(
  arrow: string,
  current: number,
  history: readonly number[],
  total: number,
  strong: Style,
  soft: Style,
): Segment[] {
  return [
    {
      keep: 3,
      spans: [{ text: `${arrow} `, style: soft }, { text: formatRate(current), style: strong }],
    },
    {
      keep: 1,
      spans: [{ text: "peak ", style: theme.dim }, {
        text: formatRate(Math.max(current, ...history)),
        style: theme.plain,
      }],
    },
    {
      keep: 2,
      spans: [{ text: "total ", style: theme.dim }, {
        text: formatBytes(total),
        style: theme.plain,
      }],
    },
  ];
}

/**
 * Draws the rates panel: a label line and a graph for each direction.
 * @example
 * ```ts
 * renderRates(buf, rect, snapshot, ui);
 * ```
 */
export function renderRates(buf: CellBuffer, rect: Rect, s: TorrentSnapshot, ui: UiState): void {
  const inner = drawBox(buf, rect, {
    title: "Rates",
    info: [{ text: "last 60s", style: theme.dim }],
    focused: ui.focus === "rates",
  });
  if (inner.width <= 2 || inner.height <= 0) return;
  const x = inner.x + 1;
  const w = inner.width - 2;
  const graphRows = Math.max(0, Math.floor((inner.height - 2) / 2));
  const rows = [
    {
      segs: label("↓", s.downRate, s.rateHistory.down, s.downloaded, theme.downBold, theme.down),
      samples: s.rateHistory.down,
      style: theme.down,
    },
    {
      segs: label("↑", s.upRate, s.rateHistory.up, s.uploaded, theme.upBold, theme.up),
      samples: s.rateHistory.up,
      style: theme.up,
    },
  ];
  let y = inner.y;
  for (const r of rows) {
    if (y >= inner.y + inner.height) break;
    drawSpans(buf, x, y, joinSegments(fitSegments(r.segs, w, 2), 2, theme.plain), w);
    y++;
    drawGraph(buf, { x, y, width: w, height: graphRows }, r.samples, r.style, theme.faint);
    y += graphRows;
  }
}
