/**
 * The peer table: address, client, choke/interest flags, rates, how much the peer has and our
 * outstanding requests; sortable, scrollable, with idle peers dimmed.
 * @module
 */

import type { PeerSnapshot, TorrentSnapshot } from "../../src/torrent/snapshot.ts";
import type { CellBuffer, Rect } from "../cell_buffer.ts";
import { type PeerSortKey, sortPeers } from "../peer_sort.ts";
import { theme } from "../theme.ts";
import { columnRate } from "../torrent_stats.ts";
import { selectedPeerIndex, type UiState } from "../ui_state.ts";
import { barText } from "../widgets/bar.ts";
import { drawBox } from "../widgets/box.ts";
import { type Column, drawTable, scrollFor } from "../widgets/table.ts";

/**
 * qBittorrent-style flags in four fixed slots (download, upload, direction, encryption):
 * D downloading, d we want but are choked, K they unchoke us but we are not interested;
 * U uploading, u they want but we choke, ? we unchoke an uninterested peer; I incoming;
 * E encrypted (RC4), e an encrypted handshake, then plaintext.
 * @example
 * ```ts
 * peerFlags(peer); // "D U IE"
 * ```
 */
export function peerFlags(p: PeerSnapshot): string {
  const down = p.amInterested ? (p.peerChoking ? "d" : "D") : (p.peerChoking ? " " : "K");
  const up = p.peerInterested ? (p.amChoking ? "u" : "U") : (p.amChoking ? " " : "?");
  const crypt = p.encryption === "rc4" ? "E" : p.encryption === "plaintext-mse" ? "e" : " ";
  return `${down} ${up} ${p.incoming ? "I" : " "}${crypt}`;
}

const rate = (bps: number, width: number, active: typeof theme.down) =>
  bps > 0 ? [{ text: columnRate(bps, width), style: active }] : [{ text: "·", style: theme.faint }];

const COLUMNS: readonly Column<PeerSnapshot>[] = [
  { title: "Address", width: 21, flex: true, keep: 9, cell: (p) => p.address },
  { title: "Client", width: 18, keep: 3, cell: (p) => p.client },
  {
    title: "Flags",
    width: 6,
    keep: 4,
    cell: (p) => [{ text: peerFlags(p), style: theme.accent }],
  },
  {
    title: "Down",
    width: 11,
    align: "right",
    keep: 8,
    cell: (p, w) => rate(p.downRate, w, theme.down),
  },
  { title: "Up", width: 11, align: "right", keep: 7, cell: (p, w) => rate(p.upRate, w, theme.up) },
  {
    title: "Have",
    width: 4,
    align: "right",
    keep: 6,
    cell: (p) => `${Math.floor(Math.min(1, Math.max(0, p.progress)) * 100)}%`,
  },
  {
    title: "",
    width: 6,
    keep: 1,
    cell: (p) => [{ text: barText(p.progress, 6, " "), style: theme.barMini }],
  },
  {
    title: "Req",
    width: 4,
    align: "right",
    keep: 2,
    cell: (p) => p.outstanding > 0 ? String(p.outstanding) : [{ text: "·", style: theme.faint }],
  },
];

const SORT_TITLE: Record<PeerSortKey, string> = {
  down: "Down",
  up: "Up",
  progress: "Have",
  requests: "Req",
  client: "Client",
  address: "Address",
};

/**
 * Draws the peers panel.
 * @example
 * ```ts
 * renderPeers(buf, rect, snapshot, ui);
 * ```
 */
export function renderPeers(
  buf: CellBuffer,
  rect: Rect,
  s: TorrentSnapshot,
  ui: UiState,
): void {
  const sorted = sortPeers(s.peers, ui.peerSort);
  const visible = Math.max(0, rect.height - 3);
  const row = selectedPeerIndex(sorted, ui);
  const scroll = scrollFor(ui.peers.scroll, Math.max(0, row), visible, sorted.length);
  const focused = ui.focus === "peers";
  const footer = sorted.length > visible && visible > 0
    ? `${scroll + 1}-${Math.min(sorted.length, scroll + visible)} of ${sorted.length}`
    : undefined;
  const inner = drawBox(buf, rect, {
    title: "Peers",
    info: [{ text: `${sorted.length}`, style: theme.dim }],
    footer,
    focused,
  });
  if (sorted.length === 0) {
    buf.text(inner.x + 1, inner.y, "No peers connected yet", theme.dim, inner.width - 1);
    return;
  }
  drawTable(buf, { ...inner, x: inner.x + 1, width: inner.width - 2 }, COLUMNS, sorted, {
    selected: row,
    scroll,
    focused,
    sortedBy: SORT_TITLE[ui.peerSort],
    rowStyle: (i) => sorted[i].downRate > 0 || sorted[i].upRate > 0 ? theme.plain : theme.dim,
  });
}
