/**
 * The file table: path, size, progress and download priority; `+`/`-` change the selected
 * file's priority.
 * @module
 */

import type { FilePriority, FileSnapshot, TorrentSnapshot } from "../../src/torrent/snapshot.ts";
import { formatBytes } from "../../src/util/format.ts";
import type { CellBuffer, Rect } from "../cell_buffer.ts";
import type { Style } from "../style.ts";
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

const COLUMNS: readonly Column<FileSnapshot>[] = [
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
  const footer = s.files.length > visible && visible > 0
    ? `${scroll + 1}-${Math.min(s.files.length, scroll + visible)} of ${s.files.length}`
    : focused
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
}
