/**
 * The UI's own state (view, focus, selections, scroll positions) and the pure function that
 * applies a key press to it. Actions on torrents come back as commands for the caller to run.
 * @module
 */

import type { FilePriority, TorrentSnapshot } from "../src/torrent/snapshot.ts";
import { isChar, isSpecial, type Key } from "./keys.ts";
import { listLayout, type PanelId, panelRect, PANELS, type Size, torrentLayout } from "./layout.ts";
import { nextPeerSort, type PeerSortKey, sortPeers } from "./peer_sort.ts";
import { streamKey } from "./stream_keys.ts";
import { scrollFor } from "./widgets/table.ts";

/** Selection and scroll offset of a table. */
export interface TableState {
  readonly row: number;
  readonly scroll: number;
}

/** Everything the UI remembers between frames. */
export interface UiState {
  readonly view: "list" | "torrent";
  /** Index of the torrent shown (or selected in the list). */
  readonly torrent: number;
  readonly focus: PanelId;
  readonly peerSort: PeerSortKey;
  /** Address of the selected peer, so the selection follows it when the order changes. */
  readonly peerAddress?: string;
  readonly peers: TableState;
  readonly files: TableState;
  readonly list: TableState;
  /** Log lines scrolled back from the newest. */
  readonly logBack: number;
  readonly help: boolean;
  /** A short note at the bottom of the screen until the next key (or its timeout). */
  readonly message?: UiMessage;
}

/** A transient note: the result of a key, or why it did nothing. */
export interface UiMessage {
  readonly tone: "info" | "warn";
  readonly text: string;
  /** Shown whole (wrapped, never cut), so it can be read or selected from the screen. */
  readonly url?: string;
}

/** Something the key asks the torrents or the program to do. */
export type UiCommand =
  | { readonly type: "quit" }
  | { readonly type: "pause" | "resume"; readonly torrent: number }
  | {
    readonly type: "priority";
    readonly torrent: number;
    readonly file: number;
    readonly priority: FilePriority;
  }
  /** Start the player on a file's stream; `file` is the file's metainfo index. */
  | { readonly type: "open"; readonly torrent: number; readonly file: number }
  /** Put text on the clipboard. */
  | { readonly type: "copy"; readonly text: string };

/** The next state, and a command when the key asks for one. */
export interface KeyResult {
  readonly state: UiState;
  readonly command?: UiCommand;
}

/**
 * Priorities in the order `+` raises them.
 * @example
 * ```ts
 * PRIORITIES[PRIORITIES.indexOf("normal") + 1]; // "high"
 * ```
 */
export const PRIORITIES: readonly FilePriority[] = ["skip", "low", "normal", "high"];

/**
 * The state a session starts in: the torrent list when there are several torrents.
 * @example
 * ```ts
 * const ui = initialUiState(1);
 * ```
 */
export function initialUiState(torrentCount: number): UiState {
  const table = { row: 0, scroll: 0 };
  return {
    view: torrentCount > 1 ? "list" : "torrent",
    torrent: 0,
    focus: "peers",
    peerSort: "down",
    peers: table,
    files: table,
    list: table,
    logBack: 0,
    help: false,
  };
}

/** Row movement a key asks for, relative (`by`) or absolute (`to`). */
type Move = { by: number } | { to: "first" | "last" };

function rowMove(key: Key, page: number): Move | undefined {
  if (isSpecial(key, "up") || isChar(key, "k")) return { by: -1 };
  if (isSpecial(key, "down") || isChar(key, "j")) return { by: 1 };
  if (isSpecial(key, "pageup")) return { by: -Math.max(1, page) };
  if (isSpecial(key, "pagedown")) return { by: Math.max(1, page) };
  if (isSpecial(key, "home") || isChar(key, "g")) return { to: "first" };
  if (isSpecial(key, "end") || isChar(key, "G")) return { to: "last" };
  return undefined;
}

function moveRow(row: number, move: Move, count: number): number {
  const target = "by" in move ? row + move.by : move.to === "first" ? 0 : count - 1;
  return Math.max(0, Math.min(count - 1, target));
}

/**
 * Rows of a table panel that fit on screen (inside the border, under the header row).
 * @example
 * ```ts
 * visibleRows({ columns: 160, rows: 50 }, "peers", "peers");
 * ```
 */
export function visibleRows(size: Size, panel: PanelId, focus: PanelId): number {
  const r = panelRect(torrentLayout(size), panel, focus);
  return r ? Math.max(0, r.height - 3) : 0;
}

/**
 * Index of the selected peer in the sorted list: the remembered address if that peer is still
 * connected, else the remembered row clamped to the list.
 * @example
 * ```ts
 * selectedPeerIndex(sortPeers(snap.peers, ui.peerSort), ui);
 * ```
 */
export function selectedPeerIndex(
  sorted: readonly { readonly address: string }[],
  ui: Pick<UiState, "peerAddress" | "peers">,
): number {
  const byAddress = ui.peerAddress === undefined
    ? -1
    : sorted.findIndex((p) => p.address === ui.peerAddress);
  if (byAddress >= 0) return byAddress;
  return Math.min(ui.peers.row, sorted.length - 1);
}

function torrentKey(
  ui: UiState,
  key: Key,
  snap: TorrentSnapshot,
  size: Size,
  torrentCount: number,
): KeyResult {
  if (torrentCount > 1 && (isSpecial(key, "escape") || isSpecial(key, "backspace"))) {
    return { state: { ...ui, view: "list" } };
  }
  const focusIndex = PANELS.indexOf(ui.focus);
  const step = isSpecial(key, "tab") || isSpecial(key, "right") || isChar(key, "l")
    ? 1
    : isSpecial(key, "backtab") || isSpecial(key, "left") || isChar(key, "h")
    ? -1
    : 0;
  if (step !== 0) {
    return { state: { ...ui, focus: PANELS[(focusIndex + step + PANELS.length) % PANELS.length] } };
  }
  if (isChar(key, "p")) {
    return {
      state: ui,
      command: { type: snap.state === "paused" ? "resume" : "pause", torrent: ui.torrent },
    };
  }
  if (isChar(key, "s")) return { state: { ...ui, peerSort: nextPeerSort(ui.peerSort) } };
  if (isChar(key, "o") || isChar(key, "u")) return streamKey(ui, key, snap);
  if (ui.focus === "files" && (isChar(key, "+") || isChar(key, "=") || isChar(key, "-"))) {
    const file = snap.files[ui.files.row];
    if (!file) return { state: ui };
    const at = PRIORITIES.indexOf(file.priority);
    const to =
      PRIORITIES[Math.max(0, Math.min(PRIORITIES.length - 1, at + (isChar(key, "-") ? -1 : 1)))];
    if (to === file.priority) return { state: ui };
    return {
      state: ui,
      command: { type: "priority", torrent: ui.torrent, file: file.index, priority: to },
    };
  }
  const page = visibleRows(size, ui.focus, ui.focus);
  const move = rowMove(key, page);
  if (!move) return { state: ui };
  if (ui.focus === "peers") {
    const sorted = sortPeers(snap.peers, ui.peerSort);
    if (sorted.length === 0) return { state: ui };
    const row = moveRow(Math.max(0, selectedPeerIndex(sorted, ui)), move, sorted.length);
    const scroll = scrollFor(ui.peers.scroll, row, page, sorted.length);
    return { state: { ...ui, peers: { row, scroll }, peerAddress: sorted[row].address } };
  }
  if (ui.focus === "files") {
    if (snap.files.length === 0) return { state: ui };
    const row = moveRow(ui.files.row, move, snap.files.length);
    return {
      state: {
        ...ui,
        files: { row, scroll: scrollFor(ui.files.scroll, row, page, snap.files.length) },
      },
    };
  }
  if (ui.focus === "trackers") {
    // Up scrolls back in time; the log's newest line is at the bottom.
    const max = Math.max(0, snap.log.length - 1);
    const back = "by" in move ? ui.logBack - move.by : move.to === "first" ? max : 0;
    return { state: { ...ui, logBack: Math.max(0, Math.min(max, back)) } };
  }
  return { state: ui };
}

function listKey(ui: UiState, key: Key, snapshots: readonly TorrentSnapshot[], size: Size) {
  if (isSpecial(key, "enter") || isSpecial(key, "right") || isChar(key, "l")) {
    return { state: { ...ui, view: "torrent" as const } };
  }
  if (isChar(key, "p")) {
    const snap = snapshots[ui.torrent];
    return {
      state: ui,
      command: { type: snap.state === "paused" ? "resume" : "pause", torrent: ui.torrent } as const,
    };
  }
  const layout = listLayout(size);
  const page = layout.kind === "list" ? Math.max(1, layout.table.height - 3) : 1;
  const move = rowMove(key, page);
  if (!move) return { state: ui };
  const row = moveRow(ui.torrent, move, snapshots.length);
  const scroll = scrollFor(ui.list.scroll, row, page, snapshots.length);
  return {
    state: {
      ...ui,
      torrent: row,
      list: { row, scroll },
      // A different torrent: its peers and files start at the top.
      ...(row === ui.torrent ? {} : {
        peers: { row: 0, scroll: 0 },
        files: { row: 0, scroll: 0 },
        peerAddress: undefined,
        logBack: 0,
      }),
    },
  };
}

/**
 * Applies a key press. Pure: the same state, key, snapshots and size give the same result.
 * @example
 * ```ts
 * const { state, command } = handleKey(ui, key, { snapshots, size });
 * ```
 */
export function handleKey(
  previous: UiState,
  key: Key,
  ctx: { readonly snapshots: readonly TorrentSnapshot[]; readonly size: Size },
): KeyResult {
  if ((key.kind === "char" && key.ctrl && key.char === "c") || isChar(key, "q")) {
    return { state: previous, command: { type: "quit" } };
  }
  // Any key dismisses the message; the key may then set a new one.
  const ui = previous.message ? { ...previous, message: undefined } : previous;
  if (isChar(key, "?")) return { state: { ...ui, help: !ui.help } };
  if (ui.help) {
    return isSpecial(key, "escape") ? { state: { ...ui, help: false } } : { state: ui };
  }
  if (ctx.snapshots.length === 0) return { state: ui };
  const torrent = Math.min(ui.torrent, ctx.snapshots.length - 1);
  const current = torrent === ui.torrent ? ui : { ...ui, torrent };
  if (current.view === "list") return listKey(current, key, ctx.snapshots, ctx.size);
  return torrentKey(current, key, ctx.snapshots[torrent], ctx.size, ctx.snapshots.length);
}
