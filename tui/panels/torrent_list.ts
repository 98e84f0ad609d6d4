/**
 * The torrent list shown when several torrents run: one row each with state, progress, rates,
 * peers and ETA, plus totals on top.
 * @module
 */

import type { TorrentSnapshot } from "../../src/torrent/snapshot.ts";
import { formatBytes, formatDuration, formatRate } from "../../src/util/format.ts";
import type { CellBuffer, Rect } from "../cell_buffer.ts";
import { theme } from "../theme.ts";
import { columnRate, percentText, progressFraction } from "../torrent_stats.ts";
import type { UiState } from "../ui_state.ts";
import { barText } from "../widgets/bar.ts";
import { drawBox } from "../widgets/box.ts";
import { drawSpans, fitSegments, joinSegments, type Span, spansWidth } from "../widgets/spans.ts";
import { type Column, drawTable, scrollFor } from "../widgets/table.ts";
import { stateBadge } from "./state_badge.ts";
import { streamSegments } from "./stream_status.ts";

const rate = (bps: number, width: number, style: typeof theme.down): readonly Span[] =>
  bps > 0 ? [{ text: columnRate(bps, width), style }] : [{ text: "·", style: theme.faint }];

const COLUMNS: readonly Column<TorrentSnapshot>[] = [
  { title: "Name", width: 16, flex: true, keep: 9, cell: (s) => s.name },
  { title: "State", width: 13, keep: 7, cell: (s) => [stateBadge(s.state)] },
  {
    title: "",
    width: 12,
    keep: 2,
    cell: (s) => [{ text: barText(progressFraction(s), 12), style: theme.barMini }],
  },
  {
    title: "Done",
    width: 6,
    align: "right",
    keep: 8,
    cell: (s) => percentText(progressFraction(s)),
  },
  { title: "Size", width: 9, align: "right", keep: 1, cell: (s) => formatBytes(s.wantedBytes) },
  {
    title: "Down",
    width: 11,
    align: "right",
    keep: 6,
    cell: (s, w) => rate(s.downRate, w, theme.down),
  },
  { title: "Up", width: 11, align: "right", keep: 5, cell: (s, w) => rate(s.upRate, w, theme.up) },
  { title: "Peers", width: 5, align: "right", keep: 3, cell: (s) => String(s.peers.length) },
  {
    title: "ETA",
    width: 6,
    align: "right",
    keep: 4,
    cell: (s) =>
      s.state === "downloading" && s.etaSeconds !== undefined ? formatDuration(s.etaSeconds) : "",
  },
];

/**
 * Draws the totals line and the torrent table.
 * @example
 * ```ts
 * renderTorrentList(buf, header, table, snapshots, ui);
 * ```
 */
export function renderTorrentList(
  buf: CellBuffer,
  header: Rect,
  table: Rect,
  snapshots: readonly TorrentSnapshot[],
  ui: UiState,
): void {
  const down = snapshots.reduce((t, s) => t + s.downRate, 0);
  const up = snapshots.reduce((t, s) => t + s.upRate, 0);
  const used = drawSpans(buf, header.x + 1, header.y, [
    { text: "bittorrent-ts", style: theme.accentBold },
    { text: `   ${snapshots.length} torrents   `, style: theme.dim },
    { text: `↓ ${formatRate(down)}`, style: theme.downBold },
    { text: "   ", style: theme.plain },
    { text: `↑ ${formatRate(up)}`, style: theme.upBold },
  ], header.width - 2);
  // One stream server serves every torrent: its figures go on the totals line.
  const stream = snapshots.find((s) => s.stream)?.stream;
  if (stream) {
    const room = header.width - 2 - used - 3;
    const spans = joinSegments(fitSegments(streamSegments(stream), room, 3), 3, theme.plain);
    const w = spansWidth(spans);
    drawSpans(buf, header.x + header.width - 1 - w, header.y, spans, w);
  }
  const visible = Math.max(0, table.height - 3);
  const scroll = scrollFor(ui.list.scroll, ui.torrent, visible, snapshots.length);
  const inner = drawBox(buf, table, {
    title: "Torrents",
    footer: snapshots.length > visible
      ? `${scroll + 1}-${Math.min(snapshots.length, scroll + visible)} of ${snapshots.length}`
      : undefined,
    focused: true,
  });
  drawTable(buf, { ...inner, x: inner.x + 1, width: inner.width - 2 }, COLUMNS, snapshots, {
    selected: ui.torrent,
    scroll,
    focused: true,
  });
}
