/**
 * Upload reads: peers ask for 16 KiB blocks, usually several of one piece in a row, so whole
 * pieces are read once and kept in a small LRU cache that block reads are cut from.
 * @module
 */

import type { StoreWriter } from "./store_writer.ts";

/**
 * A byte-bounded cache of verified pieces in front of a store.
 * @example
 * ```ts
 * const cache = new PieceReadCache(store, (i) => layout.pieceSize(i));
 * const block = await cache.read(3, 16384, 16384);
 * ```
 */
export class PieceReadCache {
  readonly #store: StoreWriter;
  readonly #pieceSize: (index: number) => number;
  readonly #maxBytes: number;
  /** Insertion order is recency order: a hit moves the entry to the end. */
  readonly #pieces = new Map<number, Promise<Uint8Array>>();
  #bytes = 0;

  constructor(store: StoreWriter, pieceSize: (index: number) => number, maxBytes = 16 << 20) {
    this.#store = store;
    this.#pieceSize = pieceSize;
    this.#maxBytes = maxBytes;
  }

  /** Bytes `[begin, begin + length)` of verified piece `index`. */
  async read(index: number, begin: number, length: number): Promise<Uint8Array> {
    let piece = this.#pieces.get(index);
    if (piece) {
      this.#pieces.delete(index);
      this.#pieces.set(index, piece);
    } else {
      const size = this.#pieceSize(index);
      piece = this.#store.read(index, 0, size);
      this.#pieces.set(index, piece);
      this.#bytes += size;
      piece.catch(() => this.#forget(index, size));
      this.#evict();
    }
    return (await piece).subarray(begin, begin + length);
  }

  #evict(): void {
    for (const index of this.#pieces.keys()) {
      if (this.#bytes <= this.#maxBytes || this.#pieces.size <= 1) return;
      this.#forget(index, this.#pieceSize(index));
    }
  }

  #forget(index: number, size: number): void {
    if (this.#pieces.delete(index)) this.#bytes -= size;
  }
}
