/**
 * The pieces being downloaded: a record per piece with its bytes and the state of each block.
 * Records of finished pieces are reset and reused: a record lives as long as its piece downloads
 * (tens of milliseconds), long enough to outlive a young-generation GC, and new records for every
 * piece were the largest share of what V8 copied and promoted while downloading, which is what
 * makes it grow its young generation (see the README's memory notes).
 * @module
 */

import { BlockRequesters, type PeerKey } from "./block_requesters.ts";

/** A block's state in {@linkcode ActivePiece.state}. */
export const BlockState = { Free: 0, Requested: 1, Received: 2 } as const;

/** A piece being downloaded. */
export interface ActivePiece {
  readonly index: number;
  readonly blockCount: number;
  /** The piece's bytes as they arrive; complete when `received === blockCount`. */
  readonly data: Uint8Array;
  received: number;
  /** Peers that sent blocks of it: suspects if the piece fails its hash check. */
  readonly contributors: Set<PeerKey>;
  /** All blocks arrived; waiting for the hash check. */
  verifying: boolean;
  /** A {@linkcode BlockState} per block. */
  readonly state: Uint8Array;
  readonly requesters: BlockRequesters;
  /** When each block was first requested (ms), for lateness. */
  readonly requestedAt: Float64Array;
}

/** An {@linkcode ActivePiece} as kept here: reset and reused for a later piece. */
type PieceRecord = { -readonly [K in keyof ActivePiece]: ActivePiece[K] };

/** Records of finished pieces kept for reuse, at most. */
const MAX_SPARE_RECORDS = 64;

/**
 * The active pieces of one torrent, by index.
 * @example
 * ```ts
 * const active = new ActivePieces(16, (size) => new Uint8Array(size));
 * const piece = active.start(7, 262144, 16);
 * piece.state[0] = BlockState.Requested;
 * active.finish(7); // its record serves the next piece started
 * ```
 */
export class ActivePieces {
  readonly #pieces = new Map<number, PieceRecord>();
  readonly #spare: PieceRecord[] = [];
  /** Blocks of a full-size piece: only such records are kept (all pieces but the last). */
  readonly #fullBlockCount: number;
  readonly #allocate: (size: number) => Uint8Array;

  constructor(fullBlockCount: number, allocate: (size: number) => Uint8Array) {
    this.#fullBlockCount = fullBlockCount;
    this.#allocate = allocate;
  }

  get(index: number): ActivePiece | undefined {
    return this.#pieces.get(index);
  }

  has(index: number): boolean {
    return this.#pieces.has(index);
  }

  values(): IterableIterator<ActivePiece> {
    return this.#pieces.values();
  }

  /** Starts piece `index` of `size` bytes in `blockCount` blocks, all free, with a fresh buffer. */
  start(index: number, size: number, blockCount: number): ActivePiece {
    const spare = this.#spare.at(-1);
    let piece: PieceRecord;
    if (spare?.blockCount === blockCount) {
      piece = this.#spare.pop()!;
      piece.index = index;
      piece.data = this.#allocate(size);
      piece.received = 0;
      piece.contributors.clear();
      piece.verifying = false;
      piece.state.fill(BlockState.Free);
      piece.requesters.clear();
      piece.requestedAt.fill(0);
    } else {
      piece = {
        index,
        blockCount,
        data: this.#allocate(size),
        received: 0,
        contributors: new Set(),
        verifying: false,
        state: new Uint8Array(blockCount),
        requesters: new BlockRequesters(blockCount),
        requestedAt: new Float64Array(blockCount),
      };
    }
    this.#pieces.set(index, piece);
    return piece;
  }

  /**
   * The piece is done with (verified or failed): it is no longer active, and its record will
   * serve a later piece. Its `data` buffer is not touched: it belongs to whoever took it.
   */
  finish(index: number): void {
    const piece = this.#pieces.get(index);
    if (!piece) return;
    this.#pieces.delete(index);
    if (piece.blockCount === this.#fullBlockCount && this.#spare.length < MAX_SPARE_RECORDS) {
      this.#spare.push(piece);
    }
  }
}

/**
 * Whether some block of `piece` is neither requested nor received.
 * @example
 * ```ts
 * if (!piece.verifying && hasFreeBlock(piece)) startable.push(piece);
 * ```
 */
export function hasFreeBlock(piece: ActivePiece): boolean {
  for (let b = 0; b < piece.blockCount; b++) if (piece.state[b] === BlockState.Free) return true;
  return false;
}
