/**
 * The file table: a mark for video and audio, path, size, progress and download priority;
 * `+`/`-` change the selected file's priority. With `--stream`, the focused panel shows the
 * selected file's stream URL in its bottom edge.
 * @module
 */

import { mediaKindOf } from "../../src/stream/media_types.ts";
import type { FilePriority, FileSnapshot, TorrentSnapshot } from "../../src/torrent/snapshot.ts";
import { formatBytes } from "../../src/util/format.ts";
import type { CellBuffer, Rect } from "../cell_buffer.ts";
import type { Style } from "../style.ts";
import { textWidth, truncate } from "../text.ts";
import { theme } from "../theme.ts";
import { percentText } from "../torrent_stats.ts";
import type { UiState } from "../ui_state.ts";
import { barText } from "../widgets/bar.ts";
import { drawBox } from "../widgets/box.ts";
import { type Column, drawTable, scrollFor } from "../widgets/table.ts";

const PRIORITY_LOOK: Record<FilePriority, { text: string; style: Style }> = {
  high: { text: "▲ high", style: theme.warnBold },
  normal: { text: "normal", style: theme.plain },
  low: { text: "▼ low", style: theme.dim },
  skip: { text: "✕ skip", style: theme.faint },
};

const fraction = (f: FileSnapshot) => f.length > 0 ? f.done / f.length : 1;

/**
 * The mark of a file a player can take: "▸" video, "♪" audio, "" otherwise (by extension).
 * @example
 * ```ts
 * mediaMark("Sintel.2010.1080p.mkv"); // "▸"
 * mediaMark("README.txt"); // ""
 * ```
 */
export function mediaMark(path: string): string {
  const kind = mediaKindOf(path);
  return kind === "video" ? "▸" : kind === "audio" ? "♪" : "";
}

const COLUMNS: readonly Column<FileSnapshot>[] = [
  // Two cells that tell what `o` can play: they outlast the size column.
  {
    title: "",
    width: 1,
    keep: 6.5,
    cell: (f) => [{ text: mediaMark(f.path), style: theme.accent }],
  },
  { title: "Path", width: 12, flex: true, cut: "middle", keep: 9, cell: (f) => f.path },
  { title: "Size", width: 9, align: "right", keep: 6, cell: (f) => formatBytes(f.length) },
  { title: "Done", width: 6, align: "right", keep: 8, cell: (f) => percentText(fraction(f)) },
  {
    title: "",
    width: 8,
    keep: 2,
    cell: (f) => [{ text: barText(fraction(f), 8, " "), style: theme.barMini }],
  },
  {
    title: "Priority",
    width: 8,
    keep: 7,
    cell: (f) => [PRIORITY_LOOK[f.priority]],
  },
];

/**
 * Draws the files panel.
 * @example
 * ```ts
 * renderFiles(buf, rect, snapshot, ui);
 * ```
 */
export function renderFiles(buf: CellBuffer, rect: Rect, s: TorrentSnapshot, ui: UiState): void {
  const visible = Math.max(0, rect.height - 3);
  const row = Math.min(ui.files.row, s.files.length - 1);
  const scroll = scrollFor(ui.files.scroll, Math.max(0, row), visible, s.files.length);
  const focused = ui.focus === "files";
  const url = focused && row >= 0 ? s.stream?.fileUrls[s.files[row].index] : undefined;
  const footer = s.files.length > visible && visible > 0
    ? `${scroll + 1}-${Math.min(s.files.length, scroll + visible)} of ${s.files.length}`
    : focused && !url
    ? "+/- priority"
    : undefined;
  const inner = drawBox(buf, rect, {
    title: "Files",
    info: [{ text: `${s.files.length} · ${formatBytes(s.totalLength)}`, style: theme.dim }],
    footer,
    focused,
  });
  if (s.files.length === 0) {
    buf.text(inner.x + 1, inner.y, "No file list yet", theme.dim, inner.width - 1);
    return;
  }
  drawTable(buf, { ...inner, x: inner.x + 1, width: inner.width - 2 }, COLUMNS, s.files, {
    selected: row,
    scroll,
    focused,
    rowStyle: (i) => s.files[i].priority === "skip" ? theme.dim : theme.plain,
  });
  if (url) drawUrlEdge(buf, rect, url, footer);
}

// In the bottom edge, left of the box's own footer: where a URL is seen without taking a row.
function drawUrlEdge(buf: CellBuffer, rect: Rect, url: string, footer: string | undefined) {
  const footerW = footer ? textWidth(footer) + 3 : 0;
  const room = rect.width - 4 - footerW - 4;
  if (room < 12) return;
  const y = rect.y + rect.height - 1;
  buf.text(rect.x + 2, y, " ▸ ", theme.accent);
  const used = buf.text(rect.x + 5, y, truncate(url, room, "middle"), theme.accent);
  buf.text(rect.x + 5 + used, y, " ", theme.accent);
}
