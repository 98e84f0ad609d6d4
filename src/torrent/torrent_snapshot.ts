/**
 * Turns a live torrent into a {@linkcode TorrentSnapshot}: plain data the views can keep.
 * @module
 */

import type { PiecePicker } from "../picker/piece_picker.ts";
import { Priority } from "../picker/piece_picker.ts";
import type { FileLayout } from "../storage/file_layout.ts";
import type { Metainfo } from "../metainfo/types.ts";
import type { RateMeter } from "../util/rate_meter.ts";
import type { PeerSession } from "./peer_session.ts";
import {
  type FilePriority,
  type LogLine,
  PieceCell,
  type StreamSnapshot,
  type TorrentSnapshot,
  type TorrentState,
  type TrackerSnapshot,
} from "./snapshot.ts";

/** The parts of a torrent a snapshot reads. */
export interface SnapshotSource {
  readonly metainfo: Metainfo;
  readonly picker: PiecePicker;
  readonly layout: FileLayout;
  readonly sessions: ReadonlyMap<number, PeerSession>;
  readonly down: RateMeter;
  readonly up: RateMeter;
  readonly rateHistory: { readonly down: readonly number[]; readonly up: readonly number[] };
  readonly log: readonly LogLine[];
  readonly state: TorrentState;
  readonly error: string | undefined;
  filePriority(fileIndex: number): FilePriority;
  trackerSnapshots?(): TrackerSnapshot[];
  /** Set by whoever runs a streaming server for the torrent. */
  streamInfo?: () => StreamSnapshot | undefined;
}

/**
 * Builds a snapshot.
 * @example
 * ```ts
 * const snap = buildSnapshot(torrent);
 * console.log(snap.verifiedBytes / snap.wantedBytes);
 * ```
 */
export function buildSnapshot(t: SnapshotSource): TorrentSnapshot {
  const { picker, metainfo, layout } = t;
  const pieces = new Uint8Array(metainfo.pieceCount);
  let verifiedBytes = 0;
  let wantedBytes = 0;
  for (let i = 0; i < pieces.length; i++) {
    const size = picker.pieceSize(i);
    const priority = picker.priority(i);
    if (picker.have.has(i)) {
      pieces[i] = PieceCell.Have;
      verifiedBytes += size;
      wantedBytes += size;
    } else if (priority === Priority.Skip) {
      pieces[i] = PieceCell.Skipped;
    } else {
      wantedBytes += size;
      pieces[i] = priority > Priority.High ? PieceCell.Priority : PieceCell.Missing;
    }
  }
  const requestedFrom = new Map<number, number[]>();
  for (const piece of picker.active) {
    pieces[piece.index] = PieceCell.Downloading;
    for (const key of piece.requesters.peers()) {
      const list = requestedFrom.get(key) ?? [];
      if (list[list.length - 1] !== piece.index) list.push(piece.index);
      requestedFrom.set(key, list);
    }
  }
  const files = metainfo.files.map((file, i) => {
    let done = 0;
    const { first, last } = layout.filePieces(i);
    for (let p = first; p <= last; p++) {
      if (!picker.have.has(p)) continue;
      const start = Math.max(file.offset, p * metainfo.pieceLength);
      const end = Math.min(
        file.offset + file.length,
        p * metainfo.pieceLength + picker.pieceSize(p),
      );
      done += end - start;
    }
    return {
      index: i,
      path: file.path.join("/"),
      length: file.length,
      done,
      priority: t.filePriority(i),
    };
  }).filter((_, i) => !metainfo.files[i].pad);
  const peers = [...t.sessions.values()].map((s) => ({
    address: s.conn.address,
    client: s.client,
    amChoking: s.amChoking,
    amInterested: s.amInterested,
    peerChoking: s.peerChoking,
    peerInterested: s.peerInterested,
    incoming: s.conn.incoming,
    encryption: s.conn.encryption,
    downRate: s.down.rate,
    upRate: s.up.rate,
    downloaded: s.down.total,
    uploaded: s.up.total,
    progress: s.progress,
    outstanding: s.outstanding.size,
    requestedPieces: requestedFrom.get(s.key) ?? [],
  }));
  const downRate = t.down.rate;
  const remaining = wantedBytes - verifiedBytes;
  return {
    name: metainfo.name,
    infoHashHex: metainfo.infoHashHex,
    state: t.state,
    totalLength: metainfo.totalLength,
    pieceLength: metainfo.pieceLength,
    pieceCount: metainfo.pieceCount,
    verifiedBytes,
    wantedBytes,
    pieces,
    downRate,
    upRate: t.up.rate,
    downloaded: t.down.total,
    uploaded: t.up.total,
    etaSeconds: remaining === 0 ? 0 : downRate > 1 ? remaining / downRate : undefined,
    peers,
    files,
    trackers: t.trackerSnapshots?.() ?? [],
    log: t.log.slice(-50),
    rateHistory: { down: [...t.rateHistory.down], up: [...t.rateHistory.up] },
    error: t.error,
    stream: t.streamInfo?.(),
  };
}
