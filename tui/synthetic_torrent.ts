/**
 * A made-up torrent whose snapshot changes over time like a real download, for looking at the UI
 * without a network (tui/dev_preview.ts), for the frame benchmark and for UI tests. Everything is
 * derived from a seed and a time, so a given (seed, time) always gives the same snapshot.
 * @module
 */

import {
  type FilePriority,
  type FileSnapshot,
  type LogLine,
  type PeerSnapshot,
  PieceCell,
  type TorrentSnapshot,
  type TorrentState,
} from "../src/torrent/snapshot.ts";
import { syntheticStream, type SyntheticStreamOptions } from "./synthetic_stream.ts";
import type { TorrentControl } from "./torrent_control.ts";

/** Shape of a synthetic torrent. */
export interface SyntheticOptions {
  readonly name?: string;
  readonly peers?: number;
  readonly pieces?: number;
  readonly files?: number;
  readonly seed?: number;
  /** Fraction done at time 0. */
  readonly startProgress?: number;
  /** Pieces verified per second. */
  readonly piecesPerSecond?: number;
  /** A stream server, as with `--stream` (default none). */
  readonly stream?: SyntheticStreamOptions | false;
}

const CLIENTS = [
  "libtorrent 2.0.9",
  "qBittorrent 4.6.2",
  "Transmission 4.0.5",
  "aria2 1.37.0",
  "Deluge 2.1.1",
  "rTorrent 0.9.8",
  "µTorrent 3.6.0",
  "BiglyBT 3.5.0",
];

const FILE_NAMES = [
  "Sintel.2010.1080p.mkv",
  "Sintel.2010.1080p.en.srt",
  "Sintel.2010.1080p.zh.字幕.srt",
  "extras/making-of/Sintel - The Making Of (part 1).mp4",
  "extras/making-of/Sintel - The Making Of (part 2).mp4",
  "extras/poster.jpg",
  "README.txt",
  "extras/soundtrack/01 - Sintel Main Theme.flac",
];

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function wave(t: number, period: number, phase: number): number {
  return 0.5 + 0.5 * Math.sin((t / period) * 2 * Math.PI + phase);
}

/** A synthetic peer's fixed traits. */
type SyntheticPeer = Pick<PeerSnapshot, "address" | "client" | "incoming" | "encryption"> & {
  speed: number;
  has: number;
};
/** Peers' encryption, by index: not drawn, so the random stream stays as it was. */
const ENCRYPTION: readonly PeerSnapshot["encryption"][] = ["none", "rc4", "none", "plaintext-mse"];

/** Fixed parts of a synthetic torrent: its piece order, peers and files. */
interface Plan {
  readonly name: string;
  readonly pieceLength: number;
  readonly order: Uint32Array;
  readonly peerBase: ReadonlyArray<SyntheticPeer>;
  readonly files: ReadonlyArray<
    { path: string; length: number; firstPiece: number; lastPiece: number }
  >;
  readonly totalLength: number;
}

function plan(o: Required<SyntheticOptions>): Plan {
  const rnd = random(o.seed);
  const pieceLength = 256 * 1024;
  const order = Uint32Array.from({ length: o.pieces }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const peerBase = Array.from({ length: o.peers }, (_, i) => ({
    address: i % 7 === 6
      ? `[2001:db8::${(i * 37).toString(16)}]:${6881 + (i % 50)}`
      : `${["203.0.113", "198.51.100", "192.0.2"][i % 3]}.${(i * 53) % 254 + 1}:${
        6881 + Math.floor(rnd() * 50000)
      }`,
    client: CLIENTS[Math.floor(rnd() * CLIENTS.length)],
    speed: rnd() < 0.3 ? 0 : rnd() ** 2 * 900_000,
    incoming: rnd() < 0.35,
    encryption: ENCRYPTION[i % ENCRYPTION.length],
    has: rnd() < 0.4 ? 1 : rnd(),
  }));
  const fileCount = Math.max(1, Math.min(o.files, o.pieces));
  const totalLength = o.pieces * pieceLength - Math.floor(pieceLength / 3);
  const weights = Array.from({ length: fileCount }, (_, i) => (i === 0 ? 6 : 0.4 + rnd()));
  const sum = weights.reduce((a, b) => a + b, 0);
  let offset = 0;
  const files = weights.map((w, i) => {
    const length = i === fileCount - 1 ? totalLength - offset : Math.floor((w / sum) * totalLength);
    const f = {
      path: FILE_NAMES[i % FILE_NAMES.length] + (i >= FILE_NAMES.length ? `.${i}` : ""),
      length,
      firstPiece: Math.floor(offset / pieceLength),
      lastPiece: Math.floor((offset + Math.max(0, length - 1)) / pieceLength),
    };
    offset += length;
    return f;
  });
  return { name: o.name, pieceLength, order, peerBase, files, totalLength };
}

// A high-priority file and a skipped one, so every piece state shows.
function startPriorities(p: Plan): FilePriority[] {
  return p.files.map((_, i) => (i === 1 ? "high" : i === 5 ? "skip" : "normal"));
}

function defaults(o: SyntheticOptions): Required<SyntheticOptions> {
  return {
    name: o.name ?? "Sintel (2010) [1080p] Blender Open Movie",
    peers: o.peers ?? 40,
    pieces: o.pieces ?? 1200,
    files: o.files ?? 6,
    seed: o.seed ?? 1,
    startProgress: o.startProgress ?? 0.35,
    piecesPerSecond: o.piecesPerSecond ?? 3,
    stream: o.stream ?? false,
  };
}

/**
 * A synthetic torrent that evolves with the clock and obeys pause and priority changes.
 * @example
 * ```ts
 * await runTui([new SyntheticTorrent({ peers: 60 })]);
 * ```
 */
export class SyntheticTorrent implements TorrentControl {
  readonly #o: Required<SyntheticOptions>;
  readonly #plan: Plan;
  readonly #priorities: FilePriority[];
  readonly #clock: () => number;
  readonly #start: number;
  #paused = false;
  #pausedAt = 0;
  #pausedTotal = 0;
  #log: LogLine[] = [];
  /** Present with a stream server, as on a real torrent; notes the file in the log. */
  readonly openInPlayer?: (fileIndex: number) => void;

  /**
   * @example
   * ```ts
   * const t = new SyntheticTorrent({ peers: 200, pieces: 4000 });
   * t.snapshot();
   * ```
   */
  constructor(options: SyntheticOptions = {}, clock: () => number = Date.now) {
    this.#o = defaults(options);
    this.#plan = plan(this.#o);
    this.#priorities = startPriorities(this.#plan);
    this.#clock = clock;
    this.#start = clock();
    this.#note("info", `added ${this.#plan.name}`);
    this.#note("info", `checked ${this.#o.pieces} pieces`);
    if (this.#o.stream) {
      this.openInPlayer = (i) => this.#note("info", `player: ${this.#plan.files[i]?.path}`);
    }
  }

  #note(level: LogLine["level"], text: string): void {
    this.#log = [...this.#log.slice(-199), { at: this.#clock(), level, text }];
  }

  /**
   * @example
   * ```ts
   * t.pause(); t.snapshot().state; // "paused"
   * ```
   */
  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#pausedAt = this.#clock();
    this.#note("info", "paused");
  }

  /**
   * @example
   * ```ts
   * t.resume();
   * ```
   */
  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#pausedTotal += this.#clock() - this.#pausedAt;
    this.#note("info", "resumed");
  }

  /**
   * @example
   * ```ts
   * t.setFilePriority(0, "high");
   * ```
   */
  setFilePriority(fileIndex: number, priority: FilePriority): void {
    if (fileIndex < 0 || fileIndex >= this.#priorities.length) return;
    this.#priorities[fileIndex] = priority;
    this.#note("info", `${this.#plan.files[fileIndex].path}: priority ${priority}`);
  }

  /**
   * @example
   * ```ts
   * const s = t.snapshot();
   * ```
   */
  snapshot(): TorrentSnapshot {
    const now = this.#clock();
    const active = ((this.#paused ? this.#pausedAt : now) - this.#start - this.#pausedTotal) / 1000;
    return syntheticSnapshot(this.#o, this.#plan, this.#priorities, {
      t: active,
      wall: (now - this.#start) / 1000,
      now,
      paused: this.#paused,
      log: this.#log,
    });
  }
}

/**
 * A fixed snapshot of a synthetic torrent at `t` seconds (for tests and benchmarks).
 * @example
 * ```ts
 * const s = syntheticSnapshotAt({ peers: 200, pieces: 4000 }, 10);
 * ```
 */
export function syntheticSnapshotAt(
  options: SyntheticOptions,
  t: number,
  now = 0,
): TorrentSnapshot {
  const o = defaults(options);
  const p = plan(o);
  const priorities = startPriorities(p);
  return syntheticSnapshot(o, p, priorities, { t, wall: t, now, paused: false, log: [] });
}

function syntheticSnapshot(
  o: Required<SyntheticOptions>,
  p: Plan,
  priorities: readonly FilePriority[],
  at: { t: number; wall: number; now: number; paused: boolean; log: readonly LogLine[] },
): TorrentSnapshot {
  const n = o.pieces;
  const pieces = new Uint8Array(n);
  const skipped = new Uint8Array(n);
  p.files.forEach((f, i) => {
    if (priorities[i] !== "skip") return;
    for (let k = f.firstPiece; k <= f.lastPiece; k++) skipped[k] = 1;
  });
  // A piece shared with a wanted file is still wanted.
  p.files.forEach((f, i) => {
    if (priorities[i] === "skip") return;
    skipped[f.firstPiece] = 0;
    skipped[f.lastPiece] = 0;
  });
  const haveCount = Math.min(n, Math.floor(o.startProgress * n + at.t * o.piecesPerSecond));
  let placed = 0;
  for (const i of p.order) {
    if (placed >= haveCount) break;
    pieces[i] = PieceCell.Have;
    placed++;
  }
  const inFlight: number[] = [];
  for (const i of p.order) {
    if (inFlight.length >= 24) break;
    if (pieces[i] === PieceCell.Missing && !skipped[i]) inFlight.push(i);
  }
  const high = p.files[1];
  for (let i = 0; i < n; i++) {
    if (pieces[i] === PieceCell.Have) continue;
    if (skipped[i]) pieces[i] = PieceCell.Skipped;
    else if (high && priorities[1] === "high" && i >= high.firstPiece && i <= high.lastPiece) {
      pieces[i] = PieceCell.Priority;
    }
  }
  if (!at.paused) { for (const i of inFlight.slice(0, 12)) pieces[i] = PieceCell.Downloading; }

  let verifiedBytes = 0;
  let wantedBytes = 0;
  for (let i = 0; i < n; i++) {
    const size = i === n - 1 ? p.totalLength - (n - 1) * p.pieceLength : p.pieceLength;
    if (pieces[i] === PieceCell.Have) verifiedBytes += size;
    if (pieces[i] !== PieceCell.Skipped) wantedBytes += size;
  }
  const complete = verifiedBytes >= wantedBytes;
  const state: TorrentState = at.paused ? "paused" : complete ? "seeding" : "downloading";
  const moving = state !== "paused";

  const peers: PeerSnapshot[] = p.peerBase.map((b, i) => {
    const w = wave(at.wall, 7 + (i % 11), i);
    const down = moving && !complete && b.speed > 0 ? b.speed * (0.4 + 0.6 * w) : 0;
    const up = moving && i % 4 === 0 ? 40_000 * w : 0;
    const requested = down > 0 ? inFlight.filter((_, k) => (k + i) % 6 === 0).slice(0, 3) : [];
    return {
      address: b.address,
      client: b.client,
      amChoking: i % 4 !== 0,
      amInterested: !complete && b.has > 0.05,
      peerChoking: b.speed === 0,
      peerInterested: i % 3 === 0,
      incoming: b.incoming,
      encryption: b.encryption,
      downRate: down,
      upRate: up,
      downloaded: Math.floor(b.speed * at.t * 0.7),
      uploaded: Math.floor(up * at.t * 0.2),
      progress: b.has,
      outstanding: down > 0 ? 2 + (i % 14) : 0,
      requestedPieces: requested,
    };
  });
  const downRate = peers.reduce((a, x) => a + x.downRate, 0);
  const upRate = peers.reduce((a, x) => a + x.upRate, 0);
  const history = (f: (s: number) => number) =>
    Array.from(
      { length: Math.min(60, Math.floor(at.wall) + 1) },
      (_, k) => Math.max(0, f(at.wall - k)),
    ).reverse();
  const full = complete || at.paused ? 0 : p.peerBase.reduce((a, b) => a + b.speed, 0) * 0.7;
  const files: FileSnapshot[] = p.files.map((f, i) => {
    let done = 0;
    for (let k = f.firstPiece; k <= f.lastPiece; k++) {
      if (pieces[k] === PieceCell.Have) done += p.pieceLength;
    }
    return {
      index: i,
      path: f.path,
      length: f.length,
      done: Math.min(f.length, done),
      priority: priorities[i],
    };
  });
  return {
    name: p.name,
    infoHashHex: "0123456789abcdef0123456789abcdef" + String(o.seed).padStart(8, "0"),
    state,
    totalLength: p.totalLength,
    pieceLength: p.pieceLength,
    pieceCount: n,
    verifiedBytes: Math.min(verifiedBytes, wantedBytes),
    wantedBytes,
    pieces,
    downRate,
    upRate,
    downloaded: Math.floor(verifiedBytes * 0.6),
    uploaded: Math.floor(at.t * 30_000),
    etaSeconds: state === "downloading" && downRate > 0
      ? (wantedBytes - verifiedBytes) / downRate
      : undefined,
    peers,
    files,
    trackers: [
      {
        url: "udp://tracker.opentrackr.example:1337/announce",
        status: "ok",
        peers: 50,
        seeders: 812,
        leechers: 97,
        nextAnnounceAt: at.now + 1_800_000 - (at.wall * 1000) % 1_800_000,
      },
      {
        url: "https://tracker.example.org/announce",
        status: "error",
        lastError: "connection timed out after 15s",
        peers: 0,
        nextAnnounceAt: at.now + 120_000,
      },
    ],
    log: at.log,
    rateHistory: {
      down: history((s) => full * (0.75 + 0.25 * Math.sin(s / 5))),
      up: history((s) => (upRate || 20_000) * (0.5 + 0.5 * Math.sin(s / 9))),
    },
    ...(o.stream ? { stream: syntheticStream(files, at.wall, o.stream) } : {}),
  };
}
