/**
 * Fixed snapshots for UI tests: small, hand-written, every figure known.
 * @module
 */

import {
  type PeerSnapshot,
  PieceCell,
  type StreamSnapshot,
  type TorrentSnapshot,
} from "../../src/torrent/snapshot.ts";

/** A peer with defaults that tests override. */
export function peer(overrides: Partial<PeerSnapshot> & { address: string }): PeerSnapshot {
  return {
    client: "libtorrent 2.0.9",
    amChoking: true,
    amInterested: true,
    peerChoking: false,
    peerInterested: false,
    incoming: false,
    encryption: "none",
    downRate: 0,
    upRate: 0,
    downloaded: 0,
    uploaded: 0,
    progress: 1,
    outstanding: 0,
    requestedPieces: [],
    ...overrides,
  };
}

const { Have: H, Missing: M, Downloading: D, Priority: P, Skipped: S } = PieceCell;

/** Pieces in a known pattern: 4 have, 1 downloading, 2 missing, 1 priority, 2 skipped. */
export const PIECES = new Uint8Array([H, H, H, H, D, M, M, P, S, S]);

/** A downloading torrent: 10 pieces of 1 MiB, three peers, two files, two trackers. */
export function fixtureSnapshot(overrides: Partial<TorrentSnapshot> = {}): TorrentSnapshot {
  const MiB = 1024 * 1024;
  return {
    name: "example-distro-1.0.iso",
    infoHashHex: "aa".repeat(20),
    state: "downloading",
    totalLength: 10 * MiB,
    pieceLength: MiB,
    pieceCount: 10,
    verifiedBytes: 4 * MiB,
    wantedBytes: 8 * MiB,
    pieces: PIECES,
    downRate: 1536,
    upRate: 512,
    downloaded: 4 * MiB,
    uploaded: MiB,
    etaSeconds: 185,
    peers: [
      peer({
        address: "10.0.0.2:6881",
        client: "Transmission 4.0.5",
        downRate: 1024,
        peerInterested: true,
        amChoking: false,
        incoming: true,
        progress: 0.5,
        outstanding: 7,
        requestedPieces: [4],
      }),
      peer({ address: "10.0.0.3:51413", downRate: 512, progress: 1, outstanding: 3 }),
      peer({
        address: "10.0.0.4:6881",
        client: "aria2 1.37.0",
        amInterested: false,
        progress: 0.25,
      }),
    ],
    files: [
      { index: 0, path: "example/disc.iso", length: 8 * MiB, done: 4 * MiB, priority: "normal" },
      { index: 1, path: "example/extras.tar", length: 2 * MiB, done: 0, priority: "skip" },
    ],
    trackers: [
      { url: "http://tracker.test/announce", status: "ok", peers: 3, seeders: 2, leechers: 1 },
      {
        url: "udp://broken.test:1337",
        status: "error",
        lastError: "connection refused",
        peers: 0,
      },
    ],
    log: [
      { at: 0, level: "info", text: "added example-distro-1.0.iso" },
      { at: 1000, level: "warn", text: "tracker udp://broken.test:1337 failed" },
    ],
    rateHistory: { down: [0, 512, 1024, 1536], up: [0, 0, 256, 512] },
    ...overrides,
  };
}

/** Stream server root of {@linkcode streamingSnapshot}. */
export const STREAM_URL = "http://127.0.0.1:8888/";

/**
 * A torrent served by `--stream`: three files listed in an order that differs from their
 * metainfo indexes (a video at row 0 is file 2), with HLS for the video and the audio file.
 */
export function streamingSnapshot(
  stream: Partial<StreamSnapshot> = {},
  overrides: Partial<TorrentSnapshot> = {},
): TorrentSnapshot {
  const MiB = 1024 * 1024;
  return fixtureSnapshot({
    files: [
      { index: 2, path: "show/Episode 1.mkv", length: 6 * MiB, done: MiB, priority: "normal" },
      { index: 0, path: "show/theme.flac", length: 3 * MiB, done: 0, priority: "normal" },
      { index: 5, path: "show/notes.txt", length: MiB, done: MiB, priority: "normal" },
    ],
    stream: {
      url: STREAM_URL,
      fileUrls: {
        2: `${STREAM_URL}2/Episode%201.mkv`,
        0: `${STREAM_URL}0/theme.flac`,
        5: `${STREAM_URL}5/notes.txt`,
      },
      hlsUrls: { 2: `${STREAM_URL}2/hls/index.m3u8`, 0: `${STREAM_URL}0/hls/index.m3u8` },
      lastSeekMs: 42.3,
      medianSeekMs: 55,
      activeStreams: 2,
      ...stream,
    },
    ...overrides,
  });
}
