/**
 * The piece map: every piece as a cell, scaled to the panel. When pieces outnumber cells, a cell
 * stands for a run of pieces and shows the fraction done with a rising block (▁..█); pieces
 * being fetched (by the engine's account or because a peer has our requests) are highlighted,
 * and the selected peer's requests stand out when the peer table has focus.
 * @module
 */

import { PieceCell, type TorrentSnapshot } from "../../src/torrent/snapshot.ts";
import { formatBytes } from "../../src/util/format.ts";
import type { CellBuffer, Rect } from "../cell_buffer.ts";
import { sortPeers } from "../peer_sort.ts";
import type { Style } from "../style.ts";
import { theme } from "../theme.ts";
import { selectedPeerIndex, type UiState } from "../ui_state.ts";
import { drawBox } from "../widgets/box.ts";
import { drawSpans, fitSegments, joinSegments, type Segment, type Span } from "../widgets/spans.ts";

/**
 * Flags per piece for {@linkcode pieceCells}: some peer has our requests for it.
 * @example
 * ```ts
 * flags[piece] |= REQUESTED;
 * ```
 */
export const REQUESTED = 1;
/**
 * Flags per piece: the selected peer has our requests for it.
 * @example
 * ```ts
 * flags[piece] |= REQUESTED | REQUESTED_BY_SELECTED;
 * ```
 */
export const REQUESTED_BY_SELECTED = 2;

/** One drawn cell of the map. */
export interface MapCell {
  readonly glyph: string;
  readonly style: Style;
}

const PARTIAL = ["▁", "▂", "▃", "▄", "▅", "▆", "▇"];

function cellFor(
  pieces: Uint8Array,
  requests: Uint8Array,
  from: number,
  to: number,
): MapCell {
  let have = 0, active = 0, skipped = 0, priority = 0, selected = 0;
  for (let i = from; i < to; i++) {
    const p = pieces[i];
    if (p === PieceCell.Have) have++;
    else if (p === PieceCell.Skipped) skipped++;
    else if (p === PieceCell.Downloading || requests[i] & REQUESTED) active++;
    else if (p === PieceCell.Priority) priority++;
    if (requests[i] & REQUESTED_BY_SELECTED) selected++;
  }
  const wanted = to - from - skipped;
  if (selected > 0) return { glyph: "▓", style: theme.pieceSelectedPeer };
  if (wanted === 0) return { glyph: "·", style: theme.pieceSkipped };
  if (active > 0) return { glyph: "▓", style: theme.pieceActive };
  if (have === wanted) return { glyph: "█", style: theme.pieceHave };
  if (have === 0) {
    return priority > 0
      ? { glyph: "▒", style: theme.piecePriority }
      : { glyph: "░", style: theme.pieceMissing };
  }
  const level = Math.min(PARTIAL.length - 1, Math.floor((have / wanted) * PARTIAL.length));
  return { glyph: PARTIAL[level], style: theme.piecePartial };
}

/**
 * The map's cells for `cellCount` cells. With fewer pieces than cells each piece gets the same
 * whole number of cells (the map fills the panel); with more, each cell covers a run of pieces.
 * @example
 * ```ts
 * pieceCells(snapshot.pieces, new Uint8Array(snapshot.pieceCount), 60 * 10);
 * ```
 */
export function pieceCells(pieces: Uint8Array, requests: Uint8Array, cellCount: number): MapCell[] {
  const n = pieces.length;
  if (n === 0 || cellCount <= 0) return [];
  const used = n <= cellCount ? n * Math.floor(cellCount / n) : cellCount;
  const out: MapCell[] = [];
  for (let c = 0; c < used; c++) {
    const from = Math.floor((c * n) / used);
    const to = Math.max(from + 1, Math.floor(((c + 1) * n) / used));
    out.push(cellFor(pieces, requests, from, to));
  }
  return out;
}

/**
 * Per-piece request flags from the peers (see {@linkcode REQUESTED}).
 * @example
 * ```ts
 * requestFlags(snapshot, "10.0.0.2:6881");
 * ```
 */
export function requestFlags(s: TorrentSnapshot, selectedAddress?: string): Uint8Array {
  const flags = new Uint8Array(s.pieceCount);
  for (const peer of s.peers) {
    const bit = peer.address === selectedAddress ? REQUESTED | REQUESTED_BY_SELECTED : REQUESTED;
    for (const i of peer.requestedPieces) if (i >= 0 && i < flags.length) flags[i] |= bit;
  }
  return flags;
}

function legend(selectedPeer: boolean, width: number): Span[] {
  const item = (glyph: string, style: Style, label: string, keep: number): Segment => ({
    keep,
    spans: [{ text: glyph, style }, { text: ` ${label}`, style: theme.dim }],
  });
  const items = [
    item("█", theme.pieceHave, "have", 9),
    item("▓", theme.pieceActive, "active", 7),
    item("░", theme.pieceMissing, "missing", 8),
    item("▒", theme.piecePriority, "priority", 5),
    item("·", theme.pieceSkipped, "skipped", 4),
    ...(selectedPeer ? [item("▓", theme.pieceSelectedPeer, "peer's requests", 6)] : []),
  ];
  return joinSegments(fitSegments(items, width, 2), 2, theme.plain);
}

/**
 * Draws the piece map panel.
 * @example
 * ```ts
 * renderPieceMap(buf, rect, snapshot, ui);
 * ```
 */
export function renderPieceMap(
  buf: CellBuffer,
  rect: Rect,
  s: TorrentSnapshot,
  ui: UiState,
): void {
  let have = 0;
  for (const p of s.pieces) if (p === PieceCell.Have) have++;
  const inner0 = { x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2 };
  const showLegend = inner0.height >= 3;
  const mapRows = inner0.height - (showLegend ? 1 : 0);
  const cellCount = Math.max(0, inner0.width - 2) * mapRows;
  const perCell = s.pieceCount > cellCount && cellCount > 0 ? s.pieceCount / cellCount : 1;
  const info: Span[] = [{ text: `${have}/${s.pieceCount}`, style: theme.dim }];
  if (perCell > 1) info.push({ text: ` · ${perCell.toFixed(1)} per cell`, style: theme.faint });
  const inner = drawBox(buf, rect, {
    title: "Pieces",
    info,
    footer: s.pieceLength > 0 ? `${formatBytes(s.pieceLength)} each` : undefined,
    focused: ui.focus === "pieces",
  });
  if (inner.width <= 2 || inner.height <= 0) return;
  if (s.pieceCount === 0) {
    buf.text(inner.x + 1, inner.y, "Waiting for metadata…", theme.dim, inner.width - 2);
    return;
  }
  const sorted = ui.focus === "peers" ? sortPeers(s.peers, ui.peerSort) : [];
  const selected = sorted[selectedPeerIndex(sorted, ui)]?.address;
  const cells = pieceCells(s.pieces, requestFlags(s, selected), cellCount);
  const w = inner.width - 2;
  cells.forEach((c, i) =>
    buf.set(inner.x + 1 + (i % w), inner.y + Math.floor(i / w), c.glyph, 1, c.style)
  );
  if (showLegend) {
    drawSpans(buf, inner.x + 1, inner.y + inner.height - 1, legend(selected !== undefined, w), w);
  }
}
