/**
 * Block bookkeeping for the pieces in flight: which blocks are free, requested (and from whom) or
 * received, how many peers have each piece, and each piece's priority. The choice of the next
 * piece to start is delegated to a {@linkcode PieceStrategy}. Pure state, no I/O.
 * @module
 */

import { Bitfield } from "../util/bitfield.ts";
import type { BlockRef } from "../wire/messages.ts";
import { type ActivePiece, ActivePieces, BlockState, hasFreeBlock } from "./active_pieces.ts";
import type { PeerKey } from "./block_requesters.ts";
import type { PickView, PieceStrategy } from "./piece_strategy.ts";

export type { PeerKey };

/** Size of a request (BEP 3: 16 KiB is what every client serves). */
export const BLOCK_SIZE = 16384;

/**
 * Priorities. Above `High` they are set by streaming reads (higher = needed sooner); from
 * `Critical` on a piece is time-critical: only fast peers are asked for it, and a block that is
 * late is asked of a second peer.
 */
export const Priority = { Skip: 0, Low: 1, Normal: 2, High: 3, Critical: 250, Max: 255 } as const;

/** Which pieces a peer can give: a peer's bitfield, or a narrower view of it. */
export interface PieceSet {
  has(index: number): boolean;
}

/** Options of {@linkcode PiecePicker.nextRequests}. */
export interface RequestOptions {
  /** The peer is among the fastest: it may get critical pieces and late duplicates. */
  readonly fast?: boolean;
  /** Clock (ms), for lateness. */
  readonly now?: number;
  /** A critical block still missing this long after its request is late. */
  readonly lateMs?: number;
}

export type { ActivePiece };

/** Outcome of {@linkcode PiecePicker.onBlock}. */
export type BlockOutcome =
  /** Stored; `cancel` lists other peers that were asked for the same block (endgame). */
  | { readonly kind: "stored"; readonly piece: ActivePiece; readonly cancel: readonly PeerKey[] }
  /** A block we already have or no longer want (e.g. an endgame duplicate): harmless waste. */
  | { readonly kind: "unneeded" }
  /** A block with a wrong offset or length: the peer breaks the protocol. */
  | { readonly kind: "invalid"; readonly reason: string };

/** Construction options for {@linkcode PiecePicker}. */
export interface PiecePickerOptions {
  readonly pieceCount: number;
  readonly pieceLength: number;
  readonly totalLength: number;
  readonly strategy: PieceStrategy;
  /** Pieces already verified (resume). */
  readonly have?: Bitfield;
  /** In endgame, how many peers may be asked for the same block. */
  readonly maxRequestsPerBlock?: number;
  /** Buffer for a piece's bytes (the store may recycle them); a new array by default. */
  readonly allocate?: (size: number) => Uint8Array;
}

/**
 * Decides which blocks to request from which peer.
 * @example
 * ```ts
 * const picker = new PiecePicker({ pieceCount: 4, pieceLength: 32768, totalLength: 131072,
 *   strategy: new RarestFirst() });
 * picker.addAvailability(peerBits);
 * const requests = picker.nextRequests(1, peerBits, 8);
 * ```
 */
export class PiecePicker implements PickView {
  readonly pieceCount: number;
  readonly pieceLength: number;
  readonly totalLength: number;
  readonly have: Bitfield;
  strategy: PieceStrategy;
  readonly #priority: Uint8Array;
  readonly #availability: Uint16Array;
  /** Pieces not yet verified, counted by priority: gives the top priority without a scan. */
  readonly #missingByPriority = new Int32Array(Priority.Max + 1);
  readonly #active: ActivePieces;
  readonly #maxPerBlock: number;

  constructor(options: PiecePickerOptions) {
    this.pieceCount = options.pieceCount;
    this.pieceLength = options.pieceLength;
    this.totalLength = options.totalLength;
    this.strategy = options.strategy;
    this.have = options.have ?? new Bitfield(options.pieceCount);
    this.#priority = new Uint8Array(options.pieceCount).fill(Priority.Normal);
    this.#missingByPriority[Priority.Normal] = options.pieceCount - this.have.count;
    this.#availability = new Uint16Array(options.pieceCount);
    this.#maxPerBlock = options.maxRequestsPerBlock ?? 2;
    this.#active = new ActivePieces(
      Math.ceil(options.pieceLength / BLOCK_SIZE),
      options.allocate ?? ((size) => new Uint8Array(size)),
    );
  }

  // ---- PickView ----

  isStartable(index: number): boolean {
    return this.#priority[index] > 0 && !this.have.has(index) && !this.#active.has(index);
  }

  priority(index: number): number {
    return this.#priority[index];
  }

  availability(index: number): number {
    return this.#availability[index];
  }

  // ---- wanted pieces ----

  /** The highest priority of a piece not yet verified; 0 when none is wanted. */
  get topPriority(): number {
    for (let p = Priority.Max; p > 0; p--) if (this.#missingByPriority[p] > 0) return p;
    return 0;
  }

  setPriority(index: number, priority: number): void {
    const clamped = Math.max(0, Math.min(Priority.Max, priority));
    if (!this.have.has(index)) {
      this.#missingByPriority[this.#priority[index]]--;
      this.#missingByPriority[clamped]++;
    }
    this.#priority[index] = clamped;
  }

  /** True when `index` is wanted and not yet verified. */
  wants(index: number): boolean {
    return this.#priority[index] > 0 && !this.have.has(index);
  }

  /** True when the peer has some piece we still want. */
  wantsAnyOf(peerHas: PieceSet): boolean {
    for (let i = 0; i < this.pieceCount; i++) if (peerHas.has(i) && this.wants(i)) return true;
    return false;
  }

  /** True when some time-critical piece has blocks nobody was asked for yet. */
  hasUnrequestedCritical(): boolean {
    for (let i = 0; i < this.pieceCount; i++) {
      if (this.#priority[i] < Priority.Critical || this.have.has(i)) continue;
      const piece = this.#active.get(i);
      if (!piece || (!piece.verifying && hasFreeBlock(piece))) return true;
    }
    return false;
  }

  /** True when every wanted piece is verified. */
  get done(): boolean {
    for (let i = 0; i < this.pieceCount; i++) if (this.wants(i)) return false;
    return true;
  }

  /** Length of piece `index`. */
  pieceSize(index: number): number {
    return Math.min(this.pieceLength, this.totalLength - index * this.pieceLength);
  }

  /** Pieces in flight, oldest first. */
  get active(): IterableIterator<ActivePiece> {
    return this.#active.values();
  }

  // ---- availability ----

  addAvailability(bits: Bitfield): void {
    for (let i = 0; i < this.pieceCount; i++) if (bits.has(i)) this.#availability[i]++;
  }

  removeAvailability(bits: Bitfield): void {
    for (let i = 0; i < this.pieceCount; i++) {
      if (bits.has(i) && this.#availability[i] > 0) this.#availability[i]--;
    }
  }

  addPieceAvailability(index: number): void {
    this.#availability[index]++;
  }

  // ---- requests ----

  /**
   * Up to `count` blocks to request from `peer`: blocks of pieces in flight first (so pieces
   * finish), new pieces when those run out, and in endgame blocks others were asked for too.
   * Higher-priority work always comes before lower. Critical pieces go to fast peers only, and
   * their late blocks are asked of a fast peer a second time.
   */
  nextRequests(
    peer: PeerKey,
    peerHas: PieceSet,
    count: number,
    options: RequestOptions = {},
  ): BlockRef[] {
    const out: BlockRef[] = [];
    const now = options.now ?? Date.now();
    const has = options.fast
      ? peerHas
      : { has: (i: number) => peerHas.has(i) && this.#priority[i] < Priority.Critical };
    if (options.fast) {
      const lateBefore = now - (options.lateMs ?? 1500);
      this.#duplicate(
        peer,
        has,
        count,
        out,
        (piece, b) =>
          this.#priority[piece.index] >= Priority.Critical && piece.requestedAt[b] < lateBefore,
      );
    }
    let candidate = -2; // not yet asked of the strategy
    while (out.length < count) {
      const active = this.#bestActive(has);
      if (candidate === -2) candidate = this.strategy.pick(this, has);
      if (
        active &&
        (candidate < 0 || this.#priority[active.index] >= this.#priority[candidate])
      ) {
        this.#takeFree(active, peer, count - out.length, out, now);
        continue;
      }
      if (candidate < 0) break;
      this.#takeFree(this.#start(candidate), peer, count - out.length, out, now);
      candidate = -2;
    }
    // Endgame: nothing left to ask for alone, so ask for what others were asked for too.
    if (out.length < count) this.#duplicate(peer, has, count, out, () => true);
    return out;
  }

  /** Records a received block. */
  onBlock(peer: PeerKey, index: number, begin: number, block: Uint8Array): BlockOutcome {
    if (index >= this.pieceCount) return { kind: "invalid", reason: `piece ${index} out of range` };
    const piece = this.#active.get(index);
    if (!piece || piece.verifying) return { kind: "unneeded" };
    const b = begin / BLOCK_SIZE;
    if (!Number.isInteger(b) || b >= piece.blockCount) {
      return { kind: "invalid", reason: `block offset ${begin} in piece ${index}` };
    }
    if (block.length !== this.#blockLength(index, b)) {
      return { kind: "invalid", reason: `block of ${block.length} bytes at ${index}:${begin}` };
    }
    if (piece.state[b] === BlockState.Received) return { kind: "unneeded" };
    piece.data.set(block, begin);
    piece.state[b] = BlockState.Received;
    piece.received++;
    piece.contributors.add(peer);
    const cancel = piece.requesters.take(b, peer);
    if (piece.received === piece.blockCount) piece.verifying = true;
    return { kind: "stored", piece, cancel };
  }

  /** Forgets that `peer` was asked for a block (choke, reject, timeout, disconnect). */
  release(peer: PeerKey, index: number, begin: number): void {
    const piece = this.#active.get(index);
    if (!piece) return;
    const b = begin / BLOCK_SIZE;
    if (!Number.isInteger(b) || b < 0 || b >= piece.blockCount) return;
    piece.requesters.remove(b, peer);
    if (piece.requesters.count(b) === 0 && piece.state[b] === BlockState.Requested) {
      piece.state[b] = BlockState.Free;
    }
  }

  /** The piece passed its hash check and is on disk. */
  markVerified(index: number): void {
    if (!this.have.has(index)) this.#missingByPriority[this.#priority[index]]--;
    this.#active.finish(index);
    this.have.set(index);
  }

  /** The piece failed its hash check: it will be fetched again. Returns the peers that sent it. */
  markFailed(index: number): PeerKey[] {
    const suspects = [...this.#active.get(index)?.contributors ?? []];
    this.#active.finish(index);
    return suspects;
  }

  #bestActive(peerHas: PieceSet): ActivePiece | undefined {
    let best: ActivePiece | undefined;
    for (const piece of this.#active.values()) {
      if (piece.verifying || !peerHas.has(piece.index) || !hasFreeBlock(piece)) continue;
      if (!best || this.#priority[piece.index] > this.#priority[best.index]) best = piece;
    }
    return best;
  }

  #start(index: number): ActivePiece {
    const size = this.pieceSize(index);
    return this.#active.start(index, size, Math.ceil(size / BLOCK_SIZE));
  }

  #takeFree(piece: ActivePiece, peer: PeerKey, max: number, out: BlockRef[], now: number): void {
    for (let b = 0; b < piece.blockCount && max > 0; b++) {
      if (piece.state[b] !== BlockState.Free) continue;
      piece.state[b] = BlockState.Requested;
      piece.requesters.add(b, peer);
      piece.requestedAt[b] = now;
      out.push({
        index: piece.index,
        begin: b * BLOCK_SIZE,
        length: this.#blockLength(piece.index, b),
      });
      max--;
    }
  }

  /** Asks `peer` too for blocks already requested from others, where `worth` says so. */
  #duplicate(
    peer: PeerKey,
    peerHas: PieceSet,
    count: number,
    out: BlockRef[],
    worth: (piece: ActivePiece, block: number) => boolean,
  ): void {
    for (const piece of this.#active.values()) {
      if (out.length >= count) return;
      if (piece.verifying || !peerHas.has(piece.index)) continue;
      for (let b = 0; b < piece.blockCount && out.length < count; b++) {
        const who = piece.requesters;
        if (
          piece.state[b] !== BlockState.Requested || who.count(b) >= this.#maxPerBlock ||
          who.has(b, peer)
        ) {
          continue;
        }
        if (!worth(piece, b)) continue;
        who.add(b, peer);
        out.push({
          index: piece.index,
          begin: b * BLOCK_SIZE,
          length: this.#blockLength(piece.index, b),
        });
      }
    }
  }

  /** Length of the block at byte `begin` of piece `index`. */
  blockLength(index: number, begin: number): number {
    return this.#blockLength(index, begin / BLOCK_SIZE);
  }

  #blockLength(index: number, block: number): number {
    return Math.min(BLOCK_SIZE, this.pieceSize(index) - block * BLOCK_SIZE);
  }
}
