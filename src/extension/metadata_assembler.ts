/**
 * Fetching the info dict of a magnet link from several peers (BEP 9): which piece to ask whom,
 * timeouts and rejects, and the final SHA-1 check against the info-hash. Pure state, no I/O: the
 * peer sessions feed it what peers say and send what it asks for; time comes from a clock.
 * @module
 */

import { bytesEqual, concatBytes, sha1 } from "../util/bytes.ts";
import { MAX_METADATA_SIZE, metadataPieceCount, metadataPieceLength } from "./ut_metadata.ts";

/**
 * What {@link MetadataAssembler.setSize} made of a peer's `metadata_size`: `accepted` (the peer
 * will be asked for pieces), `invalid` (not a positive integer), `too-large` (beyond
 * {@link MAX_METADATA_SIZE}) or `conflict` (another size is in force; the claim is remembered
 * and counts if the size is decided again).
 */
export type SizeVerdict = "accepted" | "invalid" | "too-large" | "conflict";

/** What became of a `data` message given to {@link MetadataAssembler.onData}. */
export type DataOutcome =
  /** Not asked of this peer, a duplicate, or the metadata is already complete or being checked. */
  | { readonly status: "ignored" }
  /** The piece contradicts the size in force; the peer is not asked again. */
  | { readonly status: "refused"; readonly reason: string }
  /** Kept; more pieces are missing. */
  | { readonly status: "stored"; readonly received: number; readonly pieceCount: number }
  /** Every piece is in and hashes to the info-hash: these are the info dict's bytes. */
  | { readonly status: "complete"; readonly infoBytes: Uint8Array }
  /**
   * Every piece was in but the hash is wrong, so everything was dropped and fetching starts
   * over. `suspects` sent pieces of the bad copy; `barred` are proven liars (the bad copy came
   * from them alone) and are never asked again: disconnect them.
   */
  | { readonly status: "hash-mismatch"; readonly suspects: string[]; readonly barred: string[] };

/** Tuning and the clock. */
export interface MetadataAssemblerOptions {
  /** Milliseconds now; `Date.now` when absent. Tests inject a fake clock. */
  readonly now?: () => number;
  /** A request unanswered this long is given up and the piece asked again. Default 15 s. */
  readonly requestTimeoutMs?: number;
  /** A peer that rejected a piece, or let its request time out, is not asked for it again this long. Default 30 s. */
  readonly rejectBackoffMs?: number;
  /** Outstanding requests per peer, so pieces spread over peers. Default 4. */
  readonly maxRequestsPerPeer?: number;
}

function sizeProblem(size: number): "invalid" | "too-large" | undefined {
  if (!Number.isSafeInteger(size) || size <= 0) return "invalid";
  return size > MAX_METADATA_SIZE ? "too-large" : undefined;
}

interface Request {
  readonly peer: string;
  readonly at: number;
}

/**
 * Assembles the metadata (info dict) for one info-hash from any number of peers, each named by
 * a key of the caller's choosing (e.g. `host:port`).
 *
 * The size rule: the first peer to tell a valid size (`metadata_size` of its extended handshake)
 * fixes the size; a peer telling another size is answered `conflict` and not asked, but its
 * claim is remembered. The size is decided again — the size claimed by the most peers still
 * present and not barred, the earliest claim on a tie — after a hash mismatch, and when no peer
 * claiming the size in force is left while some peer claims another. Pieces received under the
 * old size are dropped whenever the size changes.
 *
 * After a mismatch of a copy assembled from several peers, the liar cannot be told apart, so
 * from then on each attempt takes every piece from one peer; a mismatch then bars that peer.
 *
 * Drive it like this: after a peer's extended handshake, `setSize`; then (and after every
 * `data` or `reject` from that peer, and on a timer of a few seconds so timeouts are noticed)
 * send a request for each piece `nextRequest` returns until it returns undefined; pass each
 * `data`/`reject` to `onData`/`onReject`; call `removePeer` when a peer disconnects.
 * @example
 * ```ts
 * const assembler = new MetadataAssembler(magnet.infoHash);
 * assembler.setSize("10.0.0.1:6881", handshake.metadataSize!);
 * for (let p; (p = assembler.nextRequest("10.0.0.1:6881")) !== undefined;) {
 *   send(encodeMetadataMessage({ type: "request", piece: p }));
 * }
 * // ...later, for a data message:
 * const outcome = await assembler.onData("10.0.0.1:6881", msg.piece, msg.totalSize, msg.data);
 * if (outcome.status === "complete") await metainfoFromInfoDict(outcome.infoBytes, trackers);
 * ```
 */
export class MetadataAssembler {
  readonly #infoHash: Uint8Array;
  readonly #now: () => number;
  readonly #timeoutMs: number;
  readonly #rejectBackoffMs: number;
  readonly #maxPerPeer: number;
  /** Each peer's claimed size, in the order claims were made. */
  readonly #claims = new Map<string, number>();
  readonly #barred = new Set<string>();
  #size: number | undefined;
  #pieces: (Uint8Array | undefined)[] = [];
  #sources: (string | undefined)[] = [];
  #received = 0;
  /** Outstanding requests by piece: one peer at a time per piece. */
  readonly #requests = new Map<number, Request>();
  /** Peers asked for each piece this attempt; late answers from them are still welcome. */
  readonly #asked = new Map<number, Set<string>>();
  /** peer → piece → when it rejected that piece. */
  readonly #rejects = new Map<string, Map<number, number>>();
  #singleSource = false;
  #source: string | undefined;
  #verifying = false;
  #infoBytes: Uint8Array | undefined;

  constructor(infoHash: Uint8Array, options: MetadataAssemblerOptions = {}) {
    this.#infoHash = infoHash.slice();
    this.#now = options.now ?? Date.now;
    this.#timeoutMs = options.requestTimeoutMs ?? 15_000;
    this.#rejectBackoffMs = options.rejectBackoffMs ?? 30_000;
    this.#maxPerPeer = options.maxRequestsPerPeer ?? 4;
  }

  /** The size in force, once some peer told one. */
  get size(): number | undefined {
    return this.#size;
  }

  /** Pieces of the size in force (0 while unknown). */
  get pieceCount(): number {
    return this.#pieces.length;
  }

  /** Pieces held for the current attempt. */
  get received(): number {
    return this.#received;
  }

  /** The verified info dict, once complete. */
  get infoBytes(): Uint8Array | undefined {
    return this.#infoBytes;
  }

  /**
   * Records the `metadata_size` a peer announced (see the class doc for the size rule). Calling
   * it again for the same peer replaces its claim.
   */
  setSize(peer: string, size: number): SizeVerdict {
    this.#claims.delete(peer);
    const problem = sizeProblem(size);
    if (problem) {
      this.#forget(peer);
      return problem;
    }
    this.#claims.set(peer, size);
    if (this.#infoBytes) return size === this.#infoBytes.length ? "accepted" : "conflict";
    if (this.#size === undefined) this.#decideSize();
    if (size === this.#size) return "accepted";
    this.#forget(peer);
    return "conflict";
  }

  /**
   * A piece to request from `peer` now, or undefined when there is nothing for it to do (it
   * claims another size, is barred, has enough requests out, or every piece is in, requested
   * elsewhere, or was rejected by it lately). Requests that timed out are given up first.
   */
  nextRequest(peer: string): number | undefined {
    if (this.#infoBytes || this.#verifying || !this.#isEligible(peer)) return undefined;
    this.#expireRequests();
    let outstanding = 0;
    for (const request of this.#requests.values()) if (request.peer === peer) outstanding++;
    if (outstanding >= this.#maxPerPeer) return undefined;
    if (this.#singleSource && this.#source !== undefined && this.#source !== peer) return undefined;
    const now = this.#now();
    const rejected = this.#rejects.get(peer);
    for (let piece = 0; piece < this.#pieces.length; piece++) {
      if (this.#pieces[piece] || this.#requests.has(piece)) continue;
      const rejectedAt = rejected?.get(piece);
      if (rejectedAt !== undefined && now - rejectedAt < this.#rejectBackoffMs) continue;
      this.#requests.set(piece, { peer, at: now });
      let asked = this.#asked.get(piece);
      if (!asked) this.#asked.set(piece, asked = new Set());
      asked.add(peer);
      if (this.#singleSource) this.#source = peer;
      return piece;
    }
    return undefined;
  }

  /** A peer rejected a piece: it is asked elsewhere, and of this peer only after a backoff. */
  onReject(peer: string, piece: number): void {
    if (this.#requests.get(piece)?.peer !== peer) return;
    this.#requests.delete(piece);
    this.#noteRefusal(peer, piece);
    if (this.#singleSource && peer === this.#source) this.#restart();
  }

  /**
   * A peer sent a piece (a decoded `data` message). When it is the last missing piece, the whole
   * is hashed and checked against the info-hash (see {@link DataOutcome}).
   */
  async onData(
    peer: string,
    piece: number,
    totalSize: number,
    data: Uint8Array,
  ): Promise<DataOutcome> {
    if (this.#infoBytes || this.#verifying || !this.#asked.get(piece)?.has(peer)) {
      return { status: "ignored" };
    }
    if (this.#requests.get(piece)?.peer === peer) this.#requests.delete(piece);
    const size = this.#size!;
    const expected = metadataPieceLength(size, piece);
    if (totalSize !== size || data.length !== expected) {
      this.#bar(peer);
      return {
        status: "refused",
        reason: totalSize !== size
          ? `total_size ${totalSize} differs from the metadata size ${size}`
          : `piece ${piece} has ${data.length} bytes, expected ${expected}`,
      };
    }
    if (this.#pieces[piece]) return { status: "ignored" };
    this.#pieces[piece] = data.slice();
    this.#sources[piece] = peer;
    // Whoever else still has this piece on order (after a timeout) need not answer any more.
    this.#requests.delete(piece);
    this.#received++;
    if (this.#received < this.#pieces.length) {
      return { status: "stored", received: this.#received, pieceCount: this.#pieces.length };
    }
    return await this.#verify();
  }

  /** A peer is gone: its requests are freed, and its size claim no longer counts. */
  removePeer(peer: string): void {
    this.#claims.delete(peer);
    this.#rejects.delete(peer);
    if (this.#infoBytes || this.#verifying) return;
    this.#forget(peer);
    const holders = [...this.#claims].some(([p, s]) => s === this.#size && !this.#barred.has(p));
    if (!holders) this.#decideSize();
  }

  async #verify(): Promise<DataOutcome> {
    this.#verifying = true;
    const bytes = concatBytes(this.#pieces as Uint8Array[]);
    const hash = await sha1(bytes);
    this.#verifying = false;
    if (bytesEqual(hash, this.#infoHash)) {
      this.#infoBytes = bytes;
      this.#requests.clear();
      return { status: "complete", infoBytes: bytes };
    }
    const suspects = [...new Set(this.#sources as string[])];
    const barred = suspects.length === 1 ? suspects : [];
    for (const peer of barred) this.#barred.add(peer);
    if (suspects.length > 1) this.#singleSource = true;
    this.#size = undefined;
    this.#restart();
    this.#decideSize();
    return { status: "hash-mismatch", suspects, barred };
  }

  #isEligible(peer: string): boolean {
    return this.#size !== undefined && this.#claims.get(peer) === this.#size &&
      !this.#barred.has(peer);
  }

  #bar(peer: string): void {
    this.#barred.add(peer);
    this.#forget(peer);
  }

  /** Frees the peer's requests; in single-source mode losing the source restarts the attempt. */
  #forget(peer: string): void {
    // While hashing, every piece is in and nothing is on order; the outcome decides what next.
    if (this.#verifying) return;
    for (const [piece, request] of this.#requests) {
      if (request.peer === peer) this.#requests.delete(piece);
    }
    if (this.#singleSource && this.#source === peer) this.#restart();
  }

  #noteRefusal(peer: string, piece: number): void {
    let refused = this.#rejects.get(peer);
    if (!refused) this.#rejects.set(peer, refused = new Map());
    refused.set(piece, this.#now());
  }

  #expireRequests(): void {
    const now = this.#now();
    for (const [piece, request] of this.#requests) {
      if (now - request.at < this.#timeoutMs) continue;
      this.#requests.delete(piece);
      // A slow peer is not handed the same piece straight back: others get the first chance.
      this.#noteRefusal(request.peer, piece);
      if (this.#singleSource && request.peer === this.#source) {
        this.#restart();
        return;
      }
    }
  }

  /** The most-claimed size among usable peers (earliest claim on a tie); a change restarts. */
  #decideSize(): void {
    const votes = new Map<number, number>();
    for (const [peer, size] of this.#claims) {
      if (!this.#barred.has(peer)) votes.set(size, (votes.get(size) ?? 0) + 1);
    }
    let best: number | undefined;
    for (const [size, count] of votes) {
      if (best === undefined || count > votes.get(best)!) best = size;
    }
    if (best === undefined || best === this.#size) return;
    this.#size = best;
    this.#rejects.clear();
    this.#restart();
  }

  /** Drops every piece and request of the current attempt (not the reject backoffs). */
  #restart(): void {
    const count = this.#size === undefined ? 0 : metadataPieceCount(this.#size);
    this.#pieces = new Array(count).fill(undefined);
    this.#sources = new Array(count).fill(undefined);
    this.#received = 0;
    this.#requests.clear();
    this.#asked.clear();
    this.#source = undefined;
  }
}
