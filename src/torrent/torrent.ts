/**
 * A torrent being downloaded or seeded: ties the picker, the store, the peer sessions and the
 * peer sources together. Everything runs on one event loop; the only waits are I/O.
 * @module
 */

import type { Metainfo } from "../metainfo/types.ts";
import { type PeerKey, PiecePicker, Priority } from "../picker/piece_picker.ts";
import type { PieceStrategy } from "../picker/piece_strategy.ts";
import { RarestFirst } from "../picker/rarest_first.ts";
import { FileLayout } from "../storage/file_layout.ts";
import { FileStore } from "../storage/file_store.ts";
import type { StoreWriter } from "../storage/store_writer.ts";
import type { Announcers } from "../tracker/announcers.ts";
import { TrackerTiers } from "../tracker/tracker_tiers.ts";
import type { PeerAddress } from "../tracker/types.ts";
import { toHex } from "../util/bytes.ts";
import { RateMeter } from "../util/rate_meter.ts";
import {
  connectPeer,
  formatAddress,
  type LocalIdentity,
  type PeerConnection,
} from "../wire/peer_connection.ts";
import { AnnounceLoop } from "./announce_loop.ts";
import { ConnectionPool } from "./connection_pool.ts";
import { makePeerId } from "./peer_id.ts";
import { PeerSession, type SwarmHost } from "./peer_session.ts";
import type {
  FilePriority,
  LogLine,
  TorrentSnapshot,
  TorrentState,
  TrackerSnapshot,
} from "./snapshot.ts";
import { buildSnapshot } from "./torrent_snapshot.ts";

/** Options for {@linkcode Torrent}. */
export interface TorrentOptions {
  /** Download folder. */
  readonly dir: string;
  readonly peerId?: Uint8Array;
  readonly strategy?: PieceStrategy;
  readonly maxPeers?: number;
  /** Storage; a {@linkcode FileStore} in `dir` by default. */
  readonly store?: StoreWriter;
  /** Stop with an error when no peer has been connected for this long (ms). */
  readonly giveUpAfterMs?: number;
  /** Connect timeout for outgoing peers (ms). */
  readonly connectTimeoutMs?: number;
  /** A peer with requests in flight that sends nothing for this long gets them taken away. */
  readonly snubAfterMs?: number;
  /** How to reach the metainfo's trackers; without it, peers come only from `addPeers`. */
  readonly announcers?: Announcers;
  /** The port we listen on, told to trackers. */
  readonly listenPort?: number;
}

const FILE_PRIORITY: Record<FilePriority, number> = {
  skip: Priority.Skip,
  low: Priority.Low,
  normal: Priority.Normal,
  high: Priority.High,
};

/** Upload slots while downloading; the choker fills them by download rate. */
const UPLOAD_SLOTS = 8;
/** Stop requesting while this much verified data waits for the disk. */
const MAX_PENDING_WRITE_BYTES = 64 * 1024 * 1024;

/**
 * A torrent session.
 * @example
 * ```ts
 * const torrent = new Torrent(metainfo, { dir: "downloads" });
 * await torrent.start();
 * torrent.addPeers([{ host: "127.0.0.1", port: 6881 }], "--peer");
 * await torrent.whenDone();
 * await torrent.stop();
 * ```
 */
export class Torrent implements SwarmHost {
  readonly metainfo: Metainfo;
  readonly picker: PiecePicker;
  readonly store: StoreWriter;
  readonly layout: FileLayout;
  readonly identity: LocalIdentity;
  readonly sessions = new Map<PeerKey, PeerSession>();
  readonly down = new RateMeter();
  readonly up = new RateMeter();
  readonly rateHistory = { down: [] as number[], up: [] as number[] };
  readonly log: LogLine[] = [];
  state: TorrentState = "checking";
  error: string | undefined;
  /** Bytes received that turned out useless (duplicates, failed pieces). */
  wasted = 0;
  /** Peer-ids (hex) of the peers that sent us at least one block. */
  readonly contributors = new Set<string>();
  readonly filePriorities: FilePriority[];

  readonly #options: TorrentOptions;
  readonly #pool: ConnectionPool;
  /** Pool address of each dialed session, so its end is reported back to the pool. */
  readonly #dialedAddress = new Map<PeerKey, string>();
  /** Peers that sent bad data, by peer-id, so they cannot come back as incoming connections. */
  readonly #bannedPeerIds = new Set<string>();
  #nextKey = 1;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #lastTick = Date.now();
  #lastPeerAt = Date.now();
  #paused = false;
  readonly #done = Promise.withResolvers<void>();
  #announceLoop: AnnounceLoop | undefined;
  /** Last failure of a whole announce, for the "no peers" message. */
  #trackerError: string | undefined;

  constructor(metainfo: Metainfo, options: TorrentOptions) {
    this.metainfo = metainfo;
    this.#options = options;
    this.store = options.store ?? new FileStore(metainfo, options.dir);
    this.layout = new FileLayout(metainfo.files, metainfo.pieceLength);
    this.picker = new PiecePicker({
      pieceCount: metainfo.pieceCount,
      pieceLength: metainfo.pieceLength,
      totalLength: metainfo.totalLength,
      strategy: options.strategy ?? new RarestFirst(),
    });
    this.identity = {
      infoHash: metainfo.infoHash,
      peerId: options.peerId ?? makePeerId(),
      features: { extended: false, fast: true, dht: false },
    };
    this.filePriorities = metainfo.files.map(() => "normal");
    this.#pool = new ConnectionPool({
      maxConnections: options.maxPeers ?? 50,
      dial: (address) => this.#dial(address),
      connectedCount: () => this.sessions.size,
    });
    this.#done.promise.catch(() => {}); // observed through whenDone()
  }

  /** Checks data already on disk, then starts connecting and the once-a-second tick. */
  async start(): Promise<void> {
    this.#setState("checking");
    await this.#checkExisting();
    await this.store.createEmptyFiles();
    this.#setState(this.picker.done ? "done" : "downloading");
    if (this.picker.done) this.#done.resolve();
    this.#lastTick = Date.now();
    this.#lastPeerAt = Date.now();
    this.#ticker = setInterval(() => this.#tick(), 1000);
    this.#startTrackers();
  }

  /** Resolves when every wanted piece is verified on disk; rejects on a fatal error. */
  whenDone(): Promise<void> {
    return this.#done.promise;
  }

  /** Learns peer addresses and dials them as room allows. */
  addPeers(addresses: readonly PeerAddress[], source: string): void {
    this.#pool.add(addresses, source);
  }

  /** Takes over an accepted, handshaken connection. */
  adopt(conn: PeerConnection): void {
    if (this.#bannedPeerIds.has(toHex(conn.remote.peerId))) return conn.close();
    if (this.sessions.size >= (this.#options.maxPeers ?? 50)) return conn.close();
    this.#addSession(conn);
  }

  /** Snapshot for the UI and the progress printer. */
  snapshot(): TorrentSnapshot {
    return buildSnapshot(this);
  }

  pause(): void {
    if (this.#paused || this.state === "error") return;
    this.#paused = true;
    for (const s of this.sessions.values()) s.close("paused");
    this.#setState("paused");
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#setState(this.picker.done ? "done" : "downloading");
    this.#pool.pump();
  }

  /** Changes a file's priority; "skip" stops fetching its pieces (boundary pieces excepted). */
  setFilePriority(fileIndex: number, priority: FilePriority): void {
    this.filePriorities[fileIndex] = priority;
    // A piece shared by two files gets the higher of their priorities.
    const perPiece = new Uint8Array(this.metainfo.pieceCount);
    this.metainfo.files.forEach((file, i) => {
      if (file.pad) return;
      const { first, last } = this.layout.filePieces(i);
      const value = FILE_PRIORITY[this.filePriorities[i]];
      for (let p = first; p <= last; p++) perPiece[p] = Math.max(perPiece[p], value);
    });
    perPiece.forEach((p, i) => this.picker.setPriority(i, p));
    for (const s of this.sessions.values()) s.updateInterest();
  }

  /** Tells the trackers we leave, closes every peer and the store. Safe to call twice. */
  async stop(): Promise<void> {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    for (const s of this.sessions.values()) s.close("shutting down");
    await Promise.all([this.#announceLoop?.stop(), this.store.close()]);
  }

  /** Tracker states for the UI. */
  trackerSnapshots(): TrackerSnapshot[] {
    return this.#announceLoop?.snapshot() ?? [];
  }

  #startTrackers(): void {
    const { announcers } = this.#options;
    if (!announcers || this.metainfo.announceTiers.length === 0) return;
    const tiers = new TrackerTiers({
      tiers: this.metainfo.announceTiers,
      infoHash: this.metainfo.infoHash,
      peerId: this.identity.peerId,
      port: this.#options.listenPort ?? 6881,
      announcers,
    });
    this.#announceLoop = new AnnounceLoop({
      tiers,
      stats: () => ({
        uploaded: this.up.total,
        downloaded: this.down.total,
        left: this.#bytesLeft(),
      }),
      onPeers: (peers) => {
        this.#trackerError = undefined;
        this.addPeers(peers, "tracker");
      },
      onError: (message) => {
        this.#trackerError = message;
        this.addLog("warn", `trackers: ${message}`);
      },
    });
    this.#announceLoop.start();
  }

  #bytesLeft(): number {
    let left = 0;
    for (let i = 0; i < this.metainfo.pieceCount; i++) {
      if (this.picker.wants(i)) left += this.picker.pieceSize(i);
    }
    return left;
  }

  addLog(level: LogLine["level"], text: string): void {
    this.log.push({ at: Date.now(), level, text });
    if (this.log.length > 200) this.log.splice(0, this.log.length - 200);
  }

  // ---- SwarmHost ----

  get acceptingBlocks(): boolean {
    return this.store.pendingBytes < MAX_PENDING_WRITE_BYTES;
  }

  onBlock(session: PeerSession, index: number, begin: number, block: Uint8Array): void {
    const outcome = this.picker.onBlock(session.key, index, begin, block);
    if (outcome.kind === "invalid") return session.close(`sent a bad block: ${outcome.reason}`);
    if (outcome.kind === "unneeded") {
      this.wasted += block.length;
      return;
    }
    this.down.add(block.length);
    if (session.down.total === block.length) {
      this.contributors.add(toHex(session.conn.remote.peerId));
    }
    for (const other of outcome.cancel) {
      this.sessions.get(other)?.cancel(index, begin, block.length);
    }
    if (outcome.piece.verifying) this.#verify(outcome.piece.index, outcome.piece.data);
  }

  readBlock(index: number, begin: number, length: number): Promise<Uint8Array> {
    return this.store.read(index, begin, length);
  }

  onUploaded(_session: PeerSession, bytes: number): void {
    this.up.add(bytes);
  }

  onPeerInterest(): void {
    this.#choke();
  }

  onClosed(session: PeerSession, reason: string): void {
    if (!this.sessions.delete(session.key)) return;
    session.releaseAll();
    this.picker.removeAvailability(session.has);
    const dialed = this.#dialedAddress.get(session.key);
    this.#dialedAddress.delete(session.key);
    if (dialed) this.#pool.disconnected(dialed, session.down.total > 0);
    this.addLog("info", `${session.conn.address} (${session.client}) left: ${reason}`);
    // Its blocks are free again: let the others pick them up now.
    for (const s of this.sessions.values()) s.fillRequests();
    this.#pool.pump();
  }

  // ---- internals ----

  async #dial(address: PeerAddress): Promise<void> {
    if (this.#paused || this.state === "error") throw new Error("not connecting now");
    const conn = await connectPeer(address, this.identity, {
      timeoutMs: this.#options.connectTimeoutMs ?? 10_000,
      maxMessageLength: this.#maxMessageLength(),
    });
    const session = this.#addSession(conn);
    this.#dialedAddress.set(session.key, formatAddress(address.host, address.port));
  }

  #addSession(conn: PeerConnection): PeerSession {
    const session = new PeerSession(this.#nextKey++, conn, this);
    this.sessions.set(session.key, session);
    this.#lastPeerAt = Date.now();
    this.addLog(
      "info",
      `connected to ${conn.address} (${session.client})${conn.incoming ? ", incoming" : ""}`,
    );
    session.start(this.picker.have);
    return session;
  }

  #maxMessageLength(): number {
    return Math.max(1 << 20, Math.ceil(this.metainfo.pieceCount / 8) + 16);
  }

  async #verify(index: number, data: Uint8Array): Promise<void> {
    let ok: boolean;
    try {
      ok = await this.store.writePiece(index, data);
    } catch (error) {
      return this.#fail(error instanceof Error ? error.message : String(error));
    }
    if (ok) {
      this.picker.markVerified(index);
      for (const s of this.sessions.values()) s.send({ type: "have", index });
      if (this.picker.done && this.state === "downloading") {
        this.#setState("done");
        this.addLog("info", "download complete: every piece verified");
        this.#announceLoop?.completed();
        this.#done.resolve();
      }
    } else {
      this.wasted += data.length;
      const suspects = this.picker.markFailed(index);
      this.addLog("warn", `piece ${index} failed its hash check; fetching it again`);
      for (const key of suspects) {
        const s = this.sessions.get(key);
        if (!s) continue;
        s.strikes++;
        // A piece from one peer alone convicts it; shared pieces need repeated offences.
        if (suspects.length === 1 || s.strikes >= 3) {
          const dialed = this.#dialedAddress.get(key);
          if (dialed) this.#pool.ban(dialed);
          this.#bannedPeerIds.add(toHex(s.conn.remote.peerId));
          s.close(`sent data that failed the hash check (piece ${index})`);
        }
      }
    }
    for (const s of this.sessions.values()) s.fillRequests();
  }

  #fail(message: string): void {
    if (this.state === "error") return;
    this.error = message;
    this.#setState("error");
    this.addLog("error", message);
    this.#done.reject(new Error(message));
    for (const s of this.sessions.values()) s.close("torrent stopped on error");
  }

  #setState(state: TorrentState): void {
    this.state = state;
  }

  async #checkExisting(): Promise<void> {
    const store = this.store;
    if (!(store instanceof FileStore)) return;
    const present = await Promise.all(
      this.metainfo.files.map((f, i) =>
        f.pad ? true : Deno.stat(store.path(i)).then((s) => s.isFile, () => false)
      ),
    );
    if (!present.some((p, i) => p && !this.metainfo.files[i].pad)) return;
    for (let index = 0; index < this.metainfo.pieceCount; index++) {
      const files = store.layout.segments(index, 0, store.layout.pieceSize(index));
      if (!files.every((seg) => present[seg.fileIndex])) continue;
      if (await store.checkPiece(index)) this.picker.markVerified(index);
    }
    const have = this.picker.have.count;
    if (have > 0) this.addLog("info", `found ${have} verified pieces on disk`);
  }

  #tick(): void {
    const now = Date.now();
    const seconds = (now - this.#lastTick) / 1000;
    this.#lastTick = now;
    this.down.tick(seconds);
    this.up.tick(seconds);
    pushSample(this.rateHistory.down, this.down.rate);
    pushSample(this.rateHistory.up, this.up.rate);
    const snubAfter = this.#options.snubAfterMs ?? 30_000;
    for (const s of this.sessions.values()) {
      s.tick(seconds);
      if (now - s.lastReceivedAt > 150_000) {
        s.close("silent for 150 s");
        continue;
      }
      if (s.outstanding.size > 0 && now - s.lastBlockAt > snubAfter) {
        // Snubbed: give its blocks to others, and ask it for little until it delivers again.
        s.releaseAll();
        s.lastBlockAt = now;
        s.pipelineTarget = 1;
      }
      s.updateInterest();
      s.fillRequests();
    }
    this.#choke();
    if (this.sessions.size > 0 || this.#paused) this.#lastPeerAt = now;
    const giveUp = this.#options.giveUpAfterMs;
    if (giveUp && !this.picker.done && now - this.#lastPeerAt > giveUp && this.#pool.exhausted) {
      const reasons = this.#pool.failures().slice(0, 3);
      if (this.#trackerError) reasons.unshift(`trackers: ${this.#trackerError}`);
      const why = reasons.join("; ") || "no peers known";
      this.#fail(`no peer reachable for ${Math.round(giveUp / 1000)} s (${why})`);
      return;
    }
    this.#pool.pump();
  }

  /** Unchokes the interested peers that give us the most (all of them while seeding). */
  #choke(): void {
    const interested = [...this.sessions.values()].filter((s) => s.peerInterested);
    const seeding = this.picker.done;
    interested.sort((a, b) => seeding ? b.up.rate - a.up.rate : b.down.rate - a.down.rate);
    const unchoke = new Set(interested.slice(0, UPLOAD_SLOTS));
    for (const s of this.sessions.values()) s.setChoking(!unchoke.has(s));
  }
}

function pushSample(samples: number[], value: number): void {
  samples.push(value);
  if (samples.length > 60) samples.shift();
}
