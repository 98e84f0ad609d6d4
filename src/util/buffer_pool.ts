/**
 * Reused large byte buffers. At hundreds of MB/s a fresh `Uint8Array` per piece or per socket
 * write is not only a zero-fill: V8 counts every ArrayBuffer as external memory and, past a
 * threshold, runs a full mark-compact to find dead ones. Seeding 1 GiB that way cost about 95 of
 * them and a third of the seed's CPU; buffers that come back to a pool cost none.
 * @module
 */

/** Options for {@linkcode BufferPool}. */
export interface BufferPoolOptions {
  /** Shorter requests get a fresh array: small buffers are cheap, and pooling them would waste. */
  readonly minLength?: number;
  /** Buffers kept for reuse at most; a buffer given back beyond that is left to the GC. */
  readonly maxSpare?: number;
  /** New buffers are rounded up to a multiple of this, so requests of slightly varying sizes fit. */
  readonly granule?: number;
}

/**
 * A small free list of byte buffers. {@linkcode BufferPool.take} returns a view of exactly the
 * length asked for; {@linkcode BufferPool.give} takes the view back once nobody reads it any more.
 * A view never given back is simply garbage-collected: forgetting to give costs speed, not memory.
 * @example
 * ```ts
 * const pool = new BufferPool({ minLength: 64 * 1024, maxSpare: 4 });
 * const out = pool.take(300_000);
 * // ... fill `out`, write it to a socket ...
 * pool.give(out); // the next take(<= its capacity) reuses it
 * ```
 */
export class BufferPool {
  readonly #minLength: number;
  readonly #maxSpare: number;
  readonly #granule: number;
  readonly #spare: ArrayBuffer[] = [];

  constructor(options: BufferPoolOptions = {}) {
    this.#minLength = options.minLength ?? 64 * 1024;
    this.#maxSpare = options.maxSpare ?? 4;
    this.#granule = Math.max(1, options.granule ?? 64 * 1024);
  }

  /** Buffers waiting to be reused. */
  get spare(): number {
    return this.#spare.length;
  }

  /**
   * A view of `length` bytes. Its contents are unspecified when it is reused (the caller
   * overwrites them); a fresh one is zeroed.
   */
  take(length: number): Uint8Array {
    if (length < this.#minLength) return new Uint8Array(length);
    for (let i = this.#spare.length - 1; i >= 0; i--) {
      const buffer = this.#spare[i];
      // Not much larger than asked: a small request must not pin a big buffer.
      if (buffer.byteLength >= length && buffer.byteLength <= 2 * length + this.#granule) {
        this.#spare.splice(i, 1);
        return new Uint8Array(buffer, 0, length);
      }
    }
    const capacity = Math.ceil(length / this.#granule) * this.#granule;
    return new Uint8Array(new ArrayBuffer(capacity), 0, length);
  }

  /**
   * Takes back a view from {@linkcode take}: its whole buffer becomes reusable. The caller must
   * not touch the view, or any other view of its buffer, afterwards.
   */
  give(view: Uint8Array): void {
    const buffer = view.buffer;
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < this.#minLength) return;
    if (this.#spare.length >= this.#maxSpare || this.#spare.includes(buffer)) return;
    this.#spare.push(buffer);
  }
}
