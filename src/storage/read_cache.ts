/**
 * Upload reads: peers ask for 16 KiB blocks, usually several of one piece in a row, so whole
 * pieces are read once and kept in a small LRU cache that block reads are cut from.
 *
 * Piece buffers are reused: a block handed out pins its piece's buffer until it is released, and
 * a buffer goes back to the pool only when it has left the cache and no block of it is pinned.
 * A block never released (a stream's read) just keeps its buffer from ever being reused.
 * @module
 */

import { BufferPool } from "../util/buffer_pool.ts";
import type { StoreWriter } from "./store_writer.ts";

/** A piece read (or being read) into a buffer of ours. */
interface CachedPiece {
  readonly size: number;
  /** Settles when the store has filled the buffer. */
  readonly bytes: Promise<Uint8Array>;
  /** The store's read finished, so nothing writes into the buffer any more. */
  loaded: boolean;
  /** Blocks handed out and not yet released. */
  pins: number;
  /** Still in the LRU cache. */
  cached: boolean;
  /** Its buffer went back to the pool (and may now hold another piece). */
  recycled: boolean;
}

/**
 * A byte-bounded cache of verified pieces in front of a store.
 * @example
 * ```ts
 * const cache = new PieceReadCache(store, (i) => layout.pieceSize(i));
 * const block = await cache.read(3, 16384, 16384);
 * socket.write(block);
 * cache.release(block); // its piece's buffer may now be reused
 * ```
 */
export class PieceReadCache {
  readonly #store: StoreWriter;
  readonly #pieceSize: (index: number) => number;
  readonly #maxBytes: number;
  /** Insertion order is recency order: a hit moves the entry to the end. */
  readonly #pieces = new Map<number, CachedPiece>();
  /** The piece each handed-out block's buffer belongs to; weak, so unreleased blocks cost nothing. */
  readonly #owners = new WeakMap<ArrayBufferLike, CachedPiece>();
  readonly #buffers: BufferPool;
  #bytes = 0;

  constructor(store: StoreWriter, pieceSize: (index: number) => number, maxBytes = 16 << 20) {
    this.#store = store;
    this.#pieceSize = pieceSize;
    this.#maxBytes = maxBytes;
    this.#buffers = new BufferPool({ minLength: 64 * 1024, maxSpare: 8, granule: 16 * 1024 });
  }

  /**
   * Bytes `[begin, begin + length)` of verified piece `index`. The block stays valid until it is
   * given to {@linkcode release}; until then its piece's buffer is not reused.
   */
  async read(index: number, begin: number, length: number): Promise<Uint8Array> {
    const piece = this.#load(index);
    piece.pins++;
    let bytes: Uint8Array;
    try {
      bytes = await piece.bytes;
    } catch (error) {
      piece.pins--;
      throw error;
    }
    return bytes.subarray(begin, begin + length);
  }

  /** Starts reading piece `index` into the cache, if it is not there, without pinning it. */
  prefetch(index: number): void {
    this.#load(index).bytes.catch(() => {});
  }

  /** Done with a block from {@linkcode read}: it must not be used afterwards. */
  release(block: Uint8Array): void {
    const piece = this.#owners.get(block.buffer);
    if (!piece || piece.pins === 0) return;
    piece.pins--;
    this.#recycle(piece, block.buffer);
  }

  #load(index: number): CachedPiece {
    const hit = this.#pieces.get(index);
    if (hit) {
      this.#pieces.delete(index);
      this.#pieces.set(index, hit);
      return hit;
    }
    const size = this.#pieceSize(index);
    const into = this.#buffers.take(size);
    const bytes = this.#store.read(index, 0, size, into);
    const piece: CachedPiece = {
      size,
      bytes,
      loaded: false,
      pins: 0,
      cached: true,
      recycled: false,
    };
    bytes.then(
      (read) => {
        piece.loaded = true;
        // Once per piece, not per block read: release() finds the piece by its buffer.
        this.#owners.set(read.buffer, piece);
        // A store that returned other bytes than `into` left our buffer unused: reuse it now.
        if (read.buffer !== into.buffer) this.#buffers.give(into);
        else this.#recycle(piece, read.buffer);
      },
      () => this.#forget(index, piece),
    );
    this.#pieces.set(index, piece);
    this.#bytes += size;
    this.#evict();
    return piece;
  }

  #evict(): void {
    for (const [index, piece] of this.#pieces) {
      if (this.#bytes <= this.#maxBytes || this.#pieces.size <= 1) return;
      this.#forget(index, piece);
      piece.bytes.then((read) => this.#recycle(piece, read.buffer), () => {});
    }
  }

  #forget(index: number, piece: CachedPiece): void {
    if (this.#pieces.get(index) !== piece) return;
    this.#pieces.delete(index);
    this.#bytes -= piece.size;
    piece.cached = false;
  }

  /** Gives a piece's buffer back to the pool once it is out of the cache, read, and unpinned. */
  #recycle(piece: CachedPiece, buffer: ArrayBufferLike): void {
    if (piece.cached || !piece.loaded || piece.pins > 0 || piece.recycled) return;
    piece.recycled = true;
    this.#owners.delete(buffer);
    this.#buffers.give(new Uint8Array(buffer));
  }
}
