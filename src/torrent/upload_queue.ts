/**
 * The upload side of one peer: the blocks it asks us for, checked on arrival, queued, rejected
 * when we choke it, and read from disk a batch at a time under the torrent's upload limit. The
 * session writes the batches to the socket and counts them once sent.
 * @module
 */

import { BLOCK_SIZE, type PiecePicker } from "../picker/piece_picker.ts";
import type { TokenBucket } from "../util/token_bucket.ts";
import type { BlockRef, Message } from "../wire/messages.ts";

/** Most requests we queue from one peer before we consider it hostile. */
const MAX_QUEUED_UPLOADS = 2048;
/** Blocks uploaded in one write at most. */
const UPLOAD_BATCH = 32;

/** A `piece` message: one block we upload. */
export type PieceMessage = Extract<Message, { readonly type: "piece" }>;

/**
 * What an {@linkcode UploadQueue} needs from its torrent (a `SwarmHost` is one): the pieces we
 * have, their blocks' bytes, and the upload limit shared by the torrent's peers.
 * @example
 * ```ts
 * const source: UploadSource = {
 *   picker,
 *   readBlock: (index, begin, length) => cache.read(index, begin, length),
 *   releaseBlock: (block) => cache.release(block),
 *   prefetchPiece: (index) => cache.prefetch(index),
 * };
 * ```
 */
export interface UploadSource {
  readonly picker: Pick<PiecePicker, "pieceCount" | "have" | "pieceSize">;
  /** Absent: no limit. */
  readonly uploadLimiter?: Pick<TokenBucket, "take">;
  /** Reads a block to upload; only called for pieces we have. */
  readBlock(index: number, begin: number, length: number): Promise<Uint8Array>;
  /** Takes back a block from `readBlock` once it is sent or dropped, so its buffer is reused. */
  releaseBlock(block: Uint8Array): void;
  /** Starts reading a piece we have that queued requests will want next. */
  prefetchPiece(index: number): void;
}

/**
 * What an {@linkcode UploadQueue} needs from its peer (a `PeerSession` is one).
 * @example
 * ```ts
 * const peer: UploadPeer = { amChoking: false, send: (message) => outbox.push(message) };
 * ```
 */
export interface UploadPeer {
  /** While we choke the peer nothing is served and its requests are rejected. */
  readonly amChoking: boolean;
  /** Queues a message to the peer (here: `reject`). */
  send(message: Message): void;
}

/**
 * The requests a peer made of us and not yet served.
 * @example
 * ```ts
 * const uploads = new UploadQueue(host, session, session.conn.remote.features.fast);
 * if (uploads.request(message)) wakeWriter(); // throws on a bad request or a flood
 * const wait = uploads.waitMs();
 * if (wait === 0) {
 *   const pieces = await uploads.nextBatch(wait);
 *   await send(pieces);
 *   uploads.release(pieces);
 * }
 * ```
 */
export class UploadQueue {
  readonly #source: UploadSource;
  readonly #peer: UploadPeer;
  /** The peer speaks the fast extension (BEP 6): it is told when we drop its requests. */
  readonly #fast: boolean;
  readonly #queued: BlockRef[] = [];
  /** Requests whose blocks are being read from disk; the peer's cancel removes them. */
  readonly #serving = new Set<BlockRef>();

  constructor(source: UploadSource, peer: UploadPeer, fast: boolean) {
    this.#source = source;
    this.#peer = peer;
    this.#fast = fast;
  }

  /** Requests queued and not yet being read. */
  get length(): number {
    return this.#queued.length;
  }

  /**
   * Takes a request from the peer: true when it was queued, false when rejected because we
   * choke the peer. Throws, to drop the peer, on a request for a block we cannot serve (it
   * breaks the protocol) and on a flood of requests.
   */
  request(req: BlockRef): boolean {
    const picker = this.#source.picker;
    if (req.index >= picker.pieceCount || !picker.have.has(req.index)) {
      throw new Error(`request for piece ${req.index}, which we do not have`);
    }
    if (req.length === 0 || req.length > BLOCK_SIZE) {
      throw new Error(`request of ${req.length} bytes`);
    }
    if (req.begin + req.length > picker.pieceSize(req.index)) {
      throw new Error(`request beyond piece ${req.index}`);
    }
    const ref = { index: req.index, begin: req.begin, length: req.length };
    if (this.#peer.amChoking) {
      this.#reject(ref);
      return false;
    }
    if (this.#queued.length >= MAX_QUEUED_UPLOADS) throw new Error("request flood");
    this.#queued.push(ref);
    return true;
  }

  /** The peer cancelled a request: drops it, queued or being read. */
  cancel(index: number, begin: number): void {
    const at = this.#queued.findIndex((r) => r.index === index && r.begin === begin);
    if (at >= 0) this.#queued.splice(at, 1);
    for (const r of this.#serving) {
      if (r.index === index && r.begin === begin) this.#serving.delete(r);
    }
  }

  /** We choked the peer: drops every queued request, telling the peer (fast extension). */
  rejectAll(): void {
    for (const req of this.#queued.splice(0)) this.#reject(req);
  }

  /**
   * 0 when the next queued request may be served now (its bytes are then taken from the upload
   * limit), the milliseconds until it may, or Infinity when there is nothing to serve.
   */
  waitMs(): number {
    if (this.#peer.amChoking || this.#queued.length === 0) return Infinity;
    return this.#source.uploadLimiter?.take(this.#queued[0].length) ?? 0;
  }

  /**
   * Reads the next batch: up to `UPLOAD_BATCH` queued requests, as many as the upload limit
   * admits. `firstWaitMs` is what {@linkcode waitMs} returned for the first (its tokens are
   * taken already). Resolves to the blocks, in request order, of the requests still wanted.
   */
  async nextBatch(firstWaitMs: number): Promise<PieceMessage[]> {
    // Several blocks a write: fewer syscalls and wake-ups per byte uploaded. Their disk reads
    // all start at once, and so do those of the next batch (read ahead into the piece cache), so
    // the disk works while the socket sends.
    const reqs: BlockRef[] = [];
    while (
      reqs.length < UPLOAD_BATCH &&
      (reqs.length === 0 ? firstWaitMs : this.waitMs()) === 0
    ) {
      const req = this.#queued.shift()!;
      this.#serving.add(req);
      reqs.push(req);
    }
    const reads = reqs.map((req) => this.#source.readBlock(req.index, req.begin, req.length));
    let ahead = -1;
    for (let i = 0; i < this.#queued.length && i < UPLOAD_BATCH; i++) {
      const index = this.#queued[i].index;
      if (index !== ahead) this.#source.prefetchPiece(ahead = index);
    }
    const blocks = await Promise.all(reads);
    const pieces: PieceMessage[] = [];
    for (const [i, req] of reqs.entries()) {
      // The peer may have cancelled it, or we choked it, while the disk read ran.
      if (this.#serving.delete(req) && !this.#peer.amChoking) {
        pieces.push({ type: "piece", index: req.index, begin: req.begin, block: blocks[i] });
      } else {
        this.#source.releaseBlock(blocks[i]);
      }
    }
    return pieces;
  }

  /** The pieces of a batch were sent (or will never be): their blocks' buffers may be reused. */
  release(pieces: readonly PieceMessage[]): void {
    for (const piece of pieces) this.#source.releaseBlock(piece.block);
  }

  #reject(req: BlockRef): void {
    if (this.#fast) this.#peer.send({ type: "reject", ...req });
  }
}
