/**
 * One whole frame from the model: which view, which layout, which panels. Pure: the same
 * snapshots, UI state, clock and size always give the same cells, so frames are testable.
 * @module
 */

import type { TorrentSnapshot } from "../src/torrent/snapshot.ts";
import { CellBuffer } from "./cell_buffer.ts";
import { listLayout, type PanelId, panelRect, type Size, torrentLayout } from "./layout.ts";
import { renderFiles } from "./panels/files.ts";
import { renderHeader } from "./panels/header.ts";
import { renderHelp } from "./panels/help.ts";
import { type Hint, renderHints } from "./panels/hints.ts";
import { renderMessage } from "./panels/message.ts";
import { renderPeers } from "./panels/peers.ts";
import { renderPieceMap } from "./panels/piece_map.ts";
import { renderRates } from "./panels/rates.ts";
import { renderTabs } from "./panels/tabs.ts";
import { renderTiny, tinyLines } from "./panels/tiny.ts";
import { renderTorrentList } from "./panels/torrent_list.ts";
import { renderTrackers } from "./panels/trackers.ts";
import { theme } from "./theme.ts";
import type { UiState } from "./ui_state.ts";

/** Everything a frame is drawn from. */
export interface ScreenModel {
  readonly snapshots: readonly TorrentSnapshot[];
  readonly ui: UiState;
  /** Milliseconds since the epoch (for "next announce in ..."). */
  readonly now: number;
}

function torrentHints(s: TorrentSnapshot, ui: UiState, several: boolean): Hint[] {
  const rows = ui.focus === "peers" || ui.focus === "files" || ui.focus === "trackers";
  return [
    { key: "?", label: "help", keep: 8 },
    { key: "Tab", label: "panel", keep: 7 },
    ...(rows ? [{ key: "↑↓", label: ui.focus === "trackers" ? "scroll" : "select", keep: 5 }] : []),
    { key: "p", label: s.state === "paused" ? "resume" : "pause", keep: 6 },
    { key: "s", label: "sort peers", keep: 4 },
    ...(ui.focus === "files" ? [{ key: "+-", label: "priority", keep: 6 }] : []),
    ...(ui.focus === "files" && s.stream
      ? [{ key: "o", label: "play", keep: 6 }, { key: "u", label: "HLS URL", keep: 3 }]
      : []),
    ...(several ? [{ key: "Esc", label: "back", keep: 7 }] : []),
    { key: "q", label: "quit", keep: 9 },
  ];
}

const LIST_HINTS: readonly Hint[] = [
  { key: "↑↓", label: "select", keep: 6 },
  { key: "Enter", label: "open", keep: 8 },
  { key: "p", label: "pause/resume", keep: 5 },
  { key: "?", label: "help", keep: 7 },
  { key: "q", label: "quit", keep: 9 },
];

type PanelRenderer = (
  buf: CellBuffer,
  rect: { x: number; y: number; width: number; height: number },
  s: TorrentSnapshot,
  ui: UiState,
  now: number,
) => void;

const PANEL_RENDERERS: Record<PanelId, PanelRenderer> = {
  peers: renderPeers,
  pieces: renderPieceMap,
  rates: renderRates,
  files: renderFiles,
  trackers: renderTrackers,
};

function renderTorrent(buf: CellBuffer, size: Size, model: ScreenModel, s: TorrentSnapshot) {
  const { ui } = model;
  const layout = torrentLayout(size);
  if (layout.kind === "tiny") {
    renderTiny(buf, layout.area, tinyLines(s));
    return;
  }
  renderHeader(buf, layout.header, s);
  if (layout.kind === "compact") renderTabs(buf, layout.tabs, ui.focus);
  for (const [id, render] of Object.entries(PANEL_RENDERERS) as [PanelId, PanelRenderer][]) {
    const rect = panelRect(layout, id, ui.focus);
    if (rect) render(buf, rect, s, ui, model.now);
  }
  renderHints(buf, layout.hints, torrentHints(s, ui, model.snapshots.length > 1));
}

function renderList(buf: CellBuffer, size: Size, model: ScreenModel) {
  const { snapshots, ui } = model;
  const layout = listLayout(size);
  if (layout.kind === "tiny") {
    const i = Math.min(ui.torrent, snapshots.length - 1);
    renderTiny(buf, layout.area, tinyLines(snapshots[i], `${i + 1}/${snapshots.length} `));
    return;
  }
  renderTorrentList(buf, layout.header, layout.table, snapshots, ui);
  renderHints(buf, layout.hints, LIST_HINTS);
}

/**
 * Draws the frame for a screen size.
 * @example
 * ```ts
 * const buf = renderScreen({ snapshots, ui, now: Date.now() }, { columns: 160, rows: 50 });
 * ```
 */
export function renderScreen(model: ScreenModel, size: Size): CellBuffer {
  const buf = new CellBuffer(size.columns, size.rows);
  const { snapshots, ui } = model;
  if (snapshots.length === 0) {
    buf.text(1, 0, "No torrents.  q quit", theme.dim);
    return buf;
  }
  const s = snapshots[Math.min(ui.torrent, snapshots.length - 1)];
  if (ui.view === "list" && snapshots.length > 1) renderList(buf, size, model);
  else renderTorrent(buf, size, model, s);
  const screen = { x: 0, y: 0, width: buf.width, height: buf.height };
  if (ui.help) renderHelp(buf, screen);
  if (ui.message) renderMessage(buf, screen, ui.message);
  return buf;
}
