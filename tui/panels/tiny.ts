/**
 * The fallback for terminals too small for panels: a few plain summary lines, each cut to fit.
 * @module
 */

import type { TorrentSnapshot } from "../../src/torrent/snapshot.ts";
import { formatDuration, formatRate } from "../../src/util/format.ts";
import type { CellBuffer, Rect } from "../cell_buffer.ts";
import { theme } from "../theme.ts";
import { percentText, progressFraction } from "../torrent_stats.ts";
import { drawSpans, type Span } from "../widgets/spans.ts";
import { stateBadge } from "./state_badge.ts";
import { seekText } from "./stream_status.ts";

/**
 * The summary lines for one torrent (also used above the list when several are open).
 * @example
 * ```ts
 * tinyLines(snapshot, "2/3 ");
 * ```
 */
export function tinyLines(s: TorrentSnapshot, prefix = ""): Span[][] {
  const eta = s.state === "downloading"
    ? `  ETA ${s.etaSeconds === undefined ? "∞" : formatDuration(s.etaSeconds)}`
    : "";
  return [
    [{ text: prefix, style: theme.dim }, { text: s.name, style: theme.bold }],
    [stateBadge(s.state), { text: ` ${percentText(progressFraction(s))}`, style: theme.bold }],
    [
      { text: `↓ ${formatRate(s.downRate)}`, style: theme.down },
      { text: "  ", style: theme.plain },
      { text: `↑ ${formatRate(s.upRate)}`, style: theme.up },
    ],
    [{ text: `${s.peers.length} peers${eta}`, style: theme.plain }],
    ...(s.state === "error" && s.error ? [[{ text: s.error, style: theme.bad }]] : []),
    ...(s.stream ? [[{ text: `▸ ${seekText(s.stream)}`, style: theme.plain }]] : []),
    [{ text: "q quit", style: theme.dim }],
  ];
}

/**
 * Draws summary lines from the top-left, as many as fit.
 * @example
 * ```ts
 * renderTiny(buf, { x: 0, y: 0, width: 30, height: 6 }, tinyLines(snapshot));
 * ```
 */
export function renderTiny(buf: CellBuffer, rect: Rect, lines: readonly Span[][]): void {
  lines.slice(0, rect.height).forEach((spans, i) => {
    drawSpans(buf, rect.x, rect.y + i, spans, rect.width);
  });
}
