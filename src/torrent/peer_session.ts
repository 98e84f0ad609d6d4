/**
 * One connected peer: its protocol state, a reader task that handles its messages as they
 * arrive and a writer task that sends ours (and serves its requests), so both directions run at
 * once. Decisions that involve the whole swarm (which blocks, what to do with data) are the
 * host's; this class keeps the per-peer rules of BEP 3 and BEP 6.
 * @module
 */

import { BLOCK_SIZE, type PeerKey, Priority } from "../picker/piece_picker.ts";
import { Bitfield } from "../util/bitfield.ts";
import { RateMeter } from "../util/rate_meter.ts";
import type { Message } from "../wire/messages.ts";
import type { PeerConnection } from "../wire/peer_connection.ts";
import { serveMetadata } from "../extension/ut_metadata.ts";
import { blockKey, fromBlockKey } from "../picker/block_key.ts";
import { clientName } from "./peer_id.ts";
import type { SwarmHost } from "./swarm_host.ts";

export type { SwarmHost };
import { PeerExtensions } from "./peer_extensions.ts";
import { OutstandingRequests } from "./outstanding_requests.ts";
import { UploadQueue } from "./upload_queue.ts";

/** Requests in flight to a peer before we know its rate. */
const INITIAL_PIPELINE = 64;
/** A peer's request queue size when it does not tell us (libtorrent's default `reqq`). */
const DEFAULT_PEER_QUEUE = 250;
/** Messages waiting for the writer at most (a peer that does not read is dropped past it). */
const MAX_OUTBOX = 10_000;
/** Requests in flight to one peer at most, whatever its `reqq`. */
const MAX_PIPELINE = 400;

/**
 * A live peer.
 * @example
 * ```ts
 * const session = new PeerSession(1, connection, torrent);
 * session.start(ourBitfield);
 * ```
 */
export class PeerSession {
  readonly key: PeerKey;
  readonly conn: PeerConnection;
  readonly client: string;
  readonly has: Bitfield;
  /** The extension protocol on this connection. */
  readonly ext: PeerExtensions;
  amChoking = true;
  amInterested = false;
  peerChoking = true;
  peerInterested = false;
  /** Our requests in flight: block key -> time sent. */
  readonly outstanding = new OutstandingRequests();
  readonly down = new RateMeter();
  readonly up = new RateMeter();
  /** Bad pieces this peer contributed to. */
  strikes = 0;
  /** It stopped delivering what we asked; asked for little until it delivers again. */
  snubbed = false;
  lastReceivedAt = Date.now();
  lastBlockAt = Date.now();
  lastSentAt = Date.now();
  /** Requests in flight we aim for, sized to the peer's rate. */
  pipelineTarget = INITIAL_PIPELINE;
  closed = false;

  readonly #host: SwarmHost;
  #outbox: Message[] = [];
  readonly #uploads: UploadQueue;
  #wake: (() => void) | undefined;
  /** When the write in progress started, while one is. */
  #writingSince: number | undefined;
  /** Requests the peer queues at most (its `reqq`). */
  #peerQueue = DEFAULT_PEER_QUEUE;
  /** A tick has set the pipeline from a measured rate: slow start is over. */
  #ticked = false;
  /** Pieces the peer lets us request while it chokes us (BEP 6). */
  readonly #allowedFast = new Set<number>();

  constructor(key: PeerKey, conn: PeerConnection, host: SwarmHost) {
    this.key = key;
    this.conn = conn;
    this.#host = host;
    this.client = clientName(conn.remote.peerId);
    this.has = new Bitfield(host.picker.pieceCount);
    this.ext = new PeerExtensions(host.localExtensions);
    this.#uploads = new UploadQueue(host, this, conn.remote.features.fast);
  }

  /** Sends our bitfield and starts the reader and writer tasks. */
  start(ours: Bitfield): void {
    const { fast, extended, dht } = this.conn.remote.features;
    if (fast && ours.count === 0) this.send({ type: "have-none" });
    else if (fast && ours.complete) this.send({ type: "have-all" });
    else if (ours.count > 0) this.send({ type: "bitfield", bitfield: ours.bytes });
    if (extended) this.send(this.ext.handshakeMessage());
    const dhtPort = this.#host.dhtPort;
    if (dht && dhtPort) this.send({ type: "port", port: dhtPort });
    this.#readLoop();
    this.#writeLoop();
  }

  /** Queues a message for the writer task. */
  send(message: Message): void {
    if (this.closed) return;
    // A peer that does not read lets our queue grow; past this bound it is dropped.
    if (this.#outbox.length >= MAX_OUTBOX) return this.close("not reading: send queue full");
    this.#outbox.push(message);
    this.#notify();
  }

  /** True when a write to the peer has waited longer than `ms` (it has stopped reading). */
  stalledFor(ms: number, now = Date.now()): boolean {
    return this.#writingSince !== undefined && now - this.#writingSince > ms;
  }

  /** Blocks requested by the peer and not yet served. */
  get queuedUploads(): number {
    return this.#uploads.length;
  }

  /** Fraction of the torrent the peer has. */
  get progress(): number {
    return this.has.size === 0 ? 0 : this.has.count / this.has.size;
  }

  setChoking(choke: boolean): void {
    if (this.amChoking === choke) return;
    this.amChoking = choke;
    this.send({ type: choke ? "choke" : "unchoke" });
    if (choke) this.#uploads.rejectAll();
  }

  /** Re-evaluates our interest after our wants or the peer's pieces changed. */
  updateInterest(): void {
    const want = this.#host.picker.wantsAnyOf(this.has);
    if (want === this.amInterested) return;
    this.amInterested = want;
    this.send({ type: want ? "interested" : "not-interested" });
    if (want) this.fillRequests();
  }

  /** Tops up our requests to the pipeline target. */
  fillRequests(): void {
    if (this.closed || !this.amInterested || !this.#host.acceptingBlocks) return;
    // Choked, we may still ask for the pieces the peer allowed us (BEP 6 allowed_fast).
    const askable = this.peerChoking ? this.#allowedFastHas() : this.has;
    if (!askable) return;
    const room = this.pipelineTarget - this.outstanding.size;
    // Ask in batches: one write for many requests, instead of one per arriving block.
    if (this.outstanding.size > 0 && room < Math.max(1, this.pipelineTarget >> 2)) return;
    const refs = this.#host.picker.nextRequests(this.key, askable, room, {
      fast: this.#host.isFastPeer(this),
    });
    for (const ref of refs) {
      this.outstanding.add(blockKey(ref.index, ref.begin));
      this.#outbox.push({ type: "request", ...ref });
    }
    if (refs.length > 0) this.#notify();
  }

  /** Tells the peer we no longer need a block (another peer delivered it first). */
  cancel(index: number, begin: number, length: number): void {
    if (this.outstanding.delete(blockKey(index, begin))) {
      this.send({ type: "cancel", index, begin, length });
    }
  }

  /**
   * Makes room for time-critical requests: cancels our latest requests of pieces that are not
   * critical, keeping the `keep` oldest (likely on the wire already). A peer serves requests in
   * order, so without this a seek would wait behind seconds of queued, ordinary requests.
   */
  preempt(keep: number): void {
    const picker = this.#host.picker;
    const ordinary = this.outstanding.keys().filter((key) =>
      picker.priority(fromBlockKey(key)[0]) < Priority.Critical
    );
    for (const key of ordinary.slice(keep)) {
      const [index, begin] = fromBlockKey(key);
      this.outstanding.delete(key);
      picker.release(this.key, index, begin);
      this.send({ type: "cancel", index, begin, length: picker.blockLength(index, begin) });
    }
  }

  /** Gives back every block we asked this peer for, so others can fetch them. */
  releaseAll(): void {
    for (const key of this.outstanding.keys()) {
      const [index, begin] = fromBlockKey(key);
      this.#host.picker.release(this.key, index, begin);
    }
    this.outstanding.clear();
  }

  /** Once a second: rates, pipeline size, keep-alive. */
  tick(seconds: number): void {
    this.#ticked = true;
    this.down.tick(seconds);
    this.up.tick(seconds);
    // Requests in flight worth a second of the peer's rate; a quarter of that while a player
    // streams, so a seek does not wait behind a long queue at the peer.
    const ahead = this.#host.streaming ? 0.25 : 1;
    const wanted = Math.ceil((this.down.rate * ahead) / BLOCK_SIZE);
    this.pipelineTarget = this.snubbed
      ? 1
      : Math.min(this.#peerQueue, Math.max(wanted, INITIAL_PIPELINE));
    if (Date.now() - this.lastSentAt > 60_000) this.send({ type: "keep-alive" });
  }

  /**
   * Until the first tick measures a rate, each block that arrives lets one more request out
   * (TCP's slow start: the queue doubles every round trip). Without it a fast peer was held
   * to the initial 64 requests (1 MiB in flight) for the whole first second.
   */
  #slowStart(): void {
    if (this.#ticked || this.#host.streaming) return;
    if (this.pipelineTarget < this.#peerQueue) this.pipelineTarget++;
  }

  /** Ends the session once; the host hears about it through `onClosed`. */
  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.close();
    this.#notify();
    this.#host.onClosed(this, reason);
  }

  async #readLoop(): Promise<void> {
    let reason = "connection closed by peer";
    try {
      while (!this.closed) {
        const { done, value } = await this.conn.frames.read();
        // Closed while the read waited (the torrent stopping): what it delivers is dropped, so
        // no block reaches a store that is closing.
        if (done || this.closed) break;
        this.lastReceivedAt = Date.now();
        if (value.type === "handshake") throw new Error("second handshake");
        this.#handle(value);
      }
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    this.close(reason);
  }

  async #writeLoop(): Promise<void> {
    try {
      while (!this.closed) {
        const uploadWaitMs = this.#uploads.waitMs();
        if (this.#outbox.length === 0 && uploadWaitMs > 0) {
          await this.#idle(uploadWaitMs);
          continue;
        }
        const batch = this.#outbox;
        this.#outbox = [];
        const pieces = await this.#uploads.nextBatch(uploadWaitMs);
        batch.push(...pieces);
        if (batch.length === 0) continue;
        this.lastSentAt = Date.now();
        this.#writingSince = this.lastSentAt;
        await this.conn.send(batch);
        this.#writingSince = undefined;
        // The encoder has copied the blocks: their piece buffers may be reused.
        this.#uploads.release(pieces);
        const uploaded = pieces.reduce((sum, piece) => sum + piece.block.length, 0);
        if (uploaded > 0) {
          // Counted once the socket took it, so the counter is what the peer really got.
          this.up.add(uploaded);
          this.#host.onUploaded(this, uploaded);
        }
      }
    } catch (error) {
      this.close(`send failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** The allowed-fast pieces the peer has, or undefined when there are none. */
  #allowedFastHas(): Bitfield | undefined {
    if (this.#allowedFast.size === 0) return undefined;
    const bits = new Bitfield(this.has.size);
    for (const index of this.#allowedFast) if (this.has.has(index)) bits.set(index);
    return bits.count > 0 ? bits : undefined;
  }

  /**
   * Waits for a message to send (`send`, `close`) or `ms` (the upload limit), so a throttled
   * upload never holds back our own requests and haves.
   */
  #idle(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => this.#notify(), ms) : undefined;
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #handle(msg: Message): void {
    const picker = this.#host.picker;
    switch (msg.type) {
      case "keep-alive":
        return;
      case "bitfield":
      case "have-all":
      case "have-none": {
        if (msg.type !== "bitfield") this.#requireFast(msg.type);
        // BEP 3 sends these first, but aria2 also sends a bitfield later on: merge, since a
        // peer never loses pieces.
        const bits = msg.type === "bitfield"
          ? new Bitfield(picker.pieceCount, msg.bitfield)
          : msg.type === "have-all"
          ? Bitfield.full(picker.pieceCount)
          : undefined;
        for (let i = 0; bits && i < bits.size; i++) {
          if (bits.has(i) && this.has.set(i)) picker.addPieceAvailability(i);
        }
        this.updateInterest();
        return;
      }
      case "have":
        if (msg.index >= picker.pieceCount) throw new Error(`have for piece ${msg.index}`);
        if (this.has.set(msg.index)) {
          picker.addPieceAvailability(msg.index);
          if (!this.amInterested && picker.wants(msg.index)) this.updateInterest();
        }
        return;
      case "choke":
        this.peerChoking = true;
        this.releaseAll();
        return;
      case "unchoke":
        this.peerChoking = false;
        this.fillRequests();
        return;
      case "interested":
      case "not-interested":
        this.peerInterested = msg.type === "interested";
        this.#host.onPeerInterest(this);
        return;
      case "request":
        if (this.#uploads.request(msg)) this.#notify();
        return;
      case "cancel":
        return this.#uploads.cancel(msg.index, msg.begin);
      case "piece": {
        this.outstanding.delete(blockKey(msg.index, msg.begin));
        this.lastBlockAt = Date.now();
        this.snubbed = false;
        this.down.add(msg.block.length);
        this.#host.onBlock(this, msg.index, msg.begin, msg.block);
        this.#slowStart();
        this.fillRequests();
        return;
      }
      case "reject":
        this.#requireFast(msg.type);
        if (this.outstanding.delete(blockKey(msg.index, msg.begin))) {
          picker.release(this.key, msg.index, msg.begin);
        }
        return;
      case "allowed-fast":
        this.#requireFast(msg.type);
        if (msg.index >= picker.pieceCount) throw new Error(`allowed-fast for piece ${msg.index}`);
        if (this.#allowedFast.size < 64) this.#allowedFast.add(msg.index);
        this.fillRequests();
        return;
      case "suggest":
        // A hint that the peer has the piece cached; rarest-first already chooses well.
        this.#requireFast(msg.type);
        return;
      case "port":
        this.#host.onDhtPort?.(this, msg.port);
        return;
      case "extended":
        return this.#onExtended(msg.id, msg.payload);
    }
  }

  #onExtended(id: number, payload: Uint8Array): void {
    const event = this.ext.decode(id, payload);
    if (!event) return;
    if (event.type === "handshake") {
      const reqq = event.handshake.reqq;
      if (reqq) this.#peerQueue = Math.max(1, Math.min(reqq, MAX_PIPELINE));
    } else if (event.type === "metadata" && event.message.type === "request") {
      const reply = this.ext.metadataMessage(
        serveMetadata(this.#host.infoBytes, event.message.piece),
      );
      if (reply) this.send(reply);
    } else if (event.type === "pex") {
      this.#host.onPex?.(this, event.message);
    }
  }

  /** BEP 6 messages from a peer that did not advertise the fast extension break the protocol. */
  #requireFast(type: string): void {
    if (!this.conn.remote.features.fast) throw new Error(`${type} without the fast extension`);
  }
}
