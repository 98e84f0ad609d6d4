/**
 * A torrent being downloaded or seeded: ties the picker, the store, the peer sessions and the
 * peer sources together. Everything runs on one event loop; the only waits are I/O.
 * @module
 */

import type { Metainfo } from "../metainfo/types.ts";
import { BLOCK_SIZE, type PeerKey, PiecePicker } from "../picker/piece_picker.ts";
import { RarestFirst } from "../picker/rarest_first.ts";
import { FileLayout } from "../storage/file_layout.ts";
import { FileStore } from "../storage/file_store.ts";
import { PieceReadCache } from "../storage/read_cache.ts";
import type { DiskStore, StoreWriter } from "../storage/store_writer.ts";
import type { PeerAddress } from "../tracker/types.ts";
import { RateMeter } from "../util/rate_meter.ts";
import { TokenBucket } from "../util/token_bucket.ts";
import type { LocalIdentity, PeerConnection } from "../wire/peer_connection.ts";
import type { PexMessage } from "../extension/ut_pex.ts";
import { BlockIntake } from "./block_intake.ts";
import { PeerSources } from "./peer_sources.ts";
import type { LocalExtensions } from "./peer_extensions.ts";
import { makePeerId } from "./peer_id.ts";
import type { PeerSession, SwarmHost } from "./peer_session.ts";
import { Swarm } from "./swarm.ts";
import type { ByteRange } from "./piece_priorities.ts";
import { PriorityControl } from "./priority_control.ts";
import { ResumeKeeper } from "./resume_keeper.ts";
import type { StreamSource } from "../stream/stream_source.ts";
import type {
  FilePriority,
  LogLine,
  StreamSnapshot,
  TorrentSnapshot,
  TorrentState,
  TrackerSnapshot,
} from "./snapshot.ts";
import { buildSnapshot } from "./torrent_snapshot.ts";
import type { TorrentOptions } from "./torrent_options.ts";

export type { TorrentOptions };

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
  readonly localExtensions: LocalExtensions;
  /** The torrent's peers. */
  readonly swarm: Swarm;
  readonly down = new RateMeter();
  readonly up = new RateMeter();
  readonly rateHistory = { down: [] as number[], up: [] as number[] };
  readonly log: LogLine[] = [];
  state: TorrentState = "checking";
  error: string | undefined;
  /** Bytes received that turned out useless (duplicates, failed pieces); part of `down.total`. */
  wasted = 0;
  /** Set by a streaming server that serves this torrent: its URLs and seek latency. */
  streamInfo: (() => StreamSnapshot | undefined) | undefined;
  /** Set when a media player can be started on a file's stream. */
  openInPlayer: ((fileIndex: number) => void) | undefined;
  /** Peer-ids (hex) of the peers that sent us at least one block. */
  readonly contributors = new Set<string>();
  readonly uploadLimiter: TokenBucket | undefined;

  readonly #options: TorrentOptions;
  readonly #uploads: PieceReadCache;
  readonly #resume: ResumeKeeper | undefined;
  /** The default store (files in `dir`); undefined with a custom store. */
  readonly #disk: DiskStore | undefined;
  readonly #priorities: PriorityControl<PeerSession>;
  readonly #sources: PeerSources;
  readonly #intake: BlockIntake<PeerSession>;
  #ticker: ReturnType<typeof setInterval> | undefined;
  #lastTick = Date.now();
  #paused = false;
  readonly #done = Promise.withResolvers<void>();

  constructor(metainfo: Metainfo, options: TorrentOptions) {
    this.metainfo = metainfo;
    this.#options = options;
    this.layout = new FileLayout(metainfo.files, metainfo.pieceLength);
    this.#disk = options.store ? undefined : new FileStore(metainfo, options.dir);
    this.store = options.store ?? this.#disk!;
    this.#resume = this.#disk && new ResumeKeeper(this.#disk, metainfo, options.dir);
    this.#uploads = new PieceReadCache(this.store, (i) => this.layout.pieceSize(i));
    this.picker = new PiecePicker({
      pieceCount: metainfo.pieceCount,
      pieceLength: metainfo.pieceLength,
      totalLength: metainfo.totalLength,
      strategy: options.strategy ?? new RarestFirst(),
      allocate: (size) => this.store.allocatePiece?.(size) ?? new Uint8Array(size),
    });
    const dht = options.dht && !metainfo.private ? options.dht : undefined;
    this.identity = {
      infoHash: metainfo.infoHash,
      peerId: options.peerId ?? makePeerId(),
      features: { extended: true, fast: true, dht: dht !== undefined },
    };
    this.localExtensions = {
      port: options.listenPort,
      metadataSize: metainfo.infoBytes.length,
      pex: !metainfo.private,
    };
    this.#priorities = new PriorityControl(this, {
      disk: this.#disk,
      failed: (message) => this.#fail(message),
      doneChanged: (done) => {
        if (done && this.state === "downloading") this.#complete(false);
        if (!done && (this.state === "done" || this.state === "seeding")) {
          this.state = "downloading";
        }
      },
    });
    const limit = options.uploadRateLimit;
    // A quarter second's burst keeps the rate smooth; at least a block, so none waits for long.
    this.uploadLimiter = limit === undefined
      ? undefined
      : new TokenBucket(limit, { burst: Math.max(BLOCK_SIZE, limit / 4) });
    this.#sources = new PeerSources({
      metainfo,
      peerId: this.identity.peerId,
      port: options.listenPort ?? 6881,
      announcers: options.announcers,
      dht,
      stats: () => ({
        uploaded: this.up.total,
        downloaded: this.down.total,
        left: this.#priorities.bytesLeft(),
      }),
      onPeers: (peers, source) => this.addPeers(peers, source),
      onLog: (level, text) => this.addLog(level, text),
    });
    this.swarm = new Swarm({
      identity: this.identity,
      picker: this.picker,
      host: this,
      maxPeers: options.maxPeers,
      uploadSlots: options.uploadSlots,
      connectTimeoutMs: options.connectTimeoutMs,
      encryption: options.encryption,
      snubAfterMs: options.snubAfterMs,
      pex: !metainfo.private,
      open: () => !this.#paused && this.state !== "error" && this.state !== "checking",
      log: (text) => this.addLog("info", text),
    });
    this.#intake = new BlockIntake(this, {
      verified: (index) => {
        this.#priorities.pieceVerified(index);
        if (this.picker.done && this.state === "downloading") this.#complete(true);
      },
      failed: (message) => this.#fail(message),
    });
    this.#done.promise.catch(() => {}); // observed through whenDone()
  }

  /** Finds what is verified already (resume file or hash check), then starts connecting. */
  async start(): Promise<void> {
    const select = this.#options.select;
    if (select) {
      // Before anything is checked or fetched, so skipped files are never created.
      this.metainfo.files.forEach((f, i) => {
        if (!f.pad && !select.includes(i)) this.setFilePriority(i, "skip");
      });
    }
    this.state = "checking";
    if (this.#resume) {
      const { have, source } = await this.#resume.initialPieces({
        recheck: this.#options.recheck ?? false,
      });
      for (const index of have) this.picker.markVerified(index);
      if (source !== "empty") {
        this.addLog(
          "info",
          `${have.length} of ${this.metainfo.pieceCount} pieces verified (${source})`,
        );
      }
    }
    await this.store.createEmptyFiles();
    if (this.picker.done) this.#complete(false);
    else this.state = "downloading";
    this.#lastTick = Date.now();
    this.swarm.lastPeerAt = Date.now();
    this.#ticker = setInterval(() => this.#tick(), 1000);
    this.#sources.start();
  }

  /** Resolves when every wanted piece is verified on disk; rejects on a fatal error. */
  whenDone(): Promise<void> {
    return this.#done.promise;
  }

  /** Learns peer addresses and dials them as room allows. */
  addPeers(addresses: readonly PeerAddress[], source: string): void {
    this.swarm.addPeers(addresses, source);
  }

  /** Takes over an accepted, handshaken connection. */
  adopt(conn: PeerConnection): void {
    this.swarm.adopt(conn);
  }

  /** The connected peers. */
  get sessions(): ReadonlyMap<PeerKey, PeerSession> {
    return this.swarm.sessions;
  }

  /** Snapshot for the UI and the progress printer. */
  snapshot(): TorrentSnapshot {
    return buildSnapshot(this);
  }

  /** Tracker states for the UI. */
  trackerSnapshots(): TrackerSnapshot[] {
    return this.#sources.trackerSnapshots();
  }

  pause(): void {
    if (this.#paused || this.state === "error") return;
    this.#paused = true;
    this.swarm.closeAll("paused");
    this.state = "paused";
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.state = this.picker.done ? (this.#options.seed ? "seeding" : "done") : "downloading";
  }

  /** A file's priority (the index is the file's place in the metainfo). */
  filePriority(fileIndex: number): FilePriority {
    return this.#priorities.filePriority(fileIndex);
  }

  /** Changes a file's priority; "skip" stops fetching its pieces (boundary pieces excepted). */
  setFilePriority(fileIndex: number, priority: FilePriority): void {
    this.#priorities.setFilePriority(fileIndex, priority);
  }

  /**
   * Fetches a file or a byte range of the torrent at `priority`, before lower-priority pieces.
   * Returns a function that takes the range's priority back (a file keeps its new priority).
   */
  prioritize(target: number | ByteRange, priority: FilePriority): () => void {
    return this.#priorities.prioritize(target, priority);
  }

  /**
   * Bytes `[start, end)` of file `fileIndex`, yielded as soon as their pieces verify; while the
   * stream is open its pieces come first. Cancelling the stream drops that priority.
   */
  read(fileIndex: number, start: number, end: number): ReadableStream<Uint8Array> {
    return this.#priorities.read(fileIndex, start, end);
  }

  /** The torrent's files for the streaming server. */
  streamSource(): StreamSource {
    return this.#priorities.streamSource();
  }

  /**
   * Tells the trackers we leave, closes every peer, lets pieces being written finish, saves the
   * resume file and closes the store. Safe to call twice.
   */
  async stop(): Promise<void> {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.swarm.closeAll("shutting down");
    const announced = this.#sources.stop();
    await this.#intake.settled();
    if (this.#resume && this.state !== "checking") {
      await this.#resume.saveIfChanged(this.picker.have).catch((error) => {
        this.addLog("warn", `could not save resume data: ${error.message}`);
      });
    }
    await Promise.all([announced, this.store.close()]);
  }

  /** Lines ever logged (the log itself keeps the last 200). */
  logCount = 0;

  addLog(level: LogLine["level"], text: string): void {
    this.logCount++;
    this.log.push({ at: Date.now(), level, text });
    if (this.log.length > 200) this.log.splice(0, this.log.length - 200);
  }

  // ---- SwarmHost ----

  /** A player may seek at any moment: a read is open, or a streaming server serves us. */
  get streaming(): boolean {
    return this.#priorities.streaming || this.streamInfo !== undefined;
  }

  get acceptingBlocks(): boolean {
    return this.#intake.accepting;
  }

  onBlock(session: PeerSession, index: number, begin: number, block: Uint8Array): void {
    this.#intake.onBlock(session, index, begin, block);
  }

  get infoBytes(): Uint8Array {
    return this.metainfo.infoBytes;
  }

  get dhtPort(): number | undefined {
    return this.identity.features.dht ? this.#options.dht?.port : undefined;
  }

  onPex(_session: PeerSession, message: PexMessage): void {
    this.addPeers(message.added, "pex");
  }

  readBlock(index: number, begin: number, length: number): Promise<Uint8Array> {
    return this.#uploads.read(index, begin, length);
  }

  releaseBlock(block: Uint8Array): void {
    this.#uploads.release(block);
  }

  prefetchPiece(index: number): void {
    this.#uploads.prefetch(index);
  }

  onUploaded(_session: PeerSession, bytes: number): void {
    this.up.add(bytes);
  }

  onPeerInterest(session: PeerSession): void {
    this.swarm.interestChanged(session);
  }

  isFastPeer(session: PeerSession): boolean {
    return this.swarm.isFast(session);
  }

  onClosed(session: PeerSession, reason: string): void {
    if (this.swarm.closed(session)) {
      this.addLog("info", `${session.conn.address} (${session.client}) left: ${reason}`);
    }
  }

  // ---- internals ----

  #complete(downloadedNow: boolean): void {
    this.state = this.#options.seed ? "seeding" : "done";
    if (downloadedNow) {
      this.addLog("info", "download complete: every piece verified");
      this.#sources.completed();
      this.#resume?.maybeSave(this.picker.have, Infinity);
    }
    // Peers that have everything we have are of no use to a finished torrent.
    for (const s of this.sessions.values()) s.updateInterest();
    this.#done.resolve();
  }

  #fail(message: string): void {
    if (this.state === "error") return;
    this.error = message;
    this.state = "error";
    this.addLog("error", message);
    this.#done.reject(new Error(message));
    this.swarm.closeAll("torrent stopped on error");
  }

  #tick(): void {
    const now = Date.now();
    const seconds = (now - this.#lastTick) / 1000;
    this.#lastTick = now;
    this.down.tick(seconds);
    this.up.tick(seconds);
    pushSample(this.rateHistory.down, this.down.rate);
    pushSample(this.rateHistory.up, this.up.rate);
    this.swarm.tick(now, seconds, this.picker.done);
    this.#resume?.maybeSave(this.picker.have, now);
    const giveUp = this.#options.giveUpAfterMs;
    const lonely = now - this.swarm.lastPeerAt;
    // No peer for that long: give up, even with dials still planned (the user said how long).
    if (giveUp && !this.picker.done && lonely > giveUp && this.swarm.sessions.size === 0) {
      const reasons = this.swarm.failures().slice(0, 3);
      const trackers = this.#sources.trackerError;
      if (trackers) reasons.unshift(`trackers: ${trackers}`);
      const why = reasons.join("; ") || "no peers known";
      this.#fail(`no peer reachable for ${Math.round(giveUp / 1000)} s (${why})`);
    }
  }
}

function pushSample(samples: number[], value: number): void {
  samples.push(value);
  if (samples.length > 60) samples.shift();
}
