/**
 * A fixed-size set of piece indexes, stored as the wire's big-endian bit order (BEP 3: the high bit
 * of the first byte is piece 0), so it goes to and from `bitfield` messages without conversion.
 * @module
 */

/**
 * A set of piece indexes with a cached count.
 * @example
 * ```ts
 * const bits = new Bitfield(10);
 * bits.set(3);
 * bits.has(3); // true
 * bits.count; // 1
 * ```
 */
export class Bitfield {
  /** Number of pieces (bits that matter). */
  readonly size: number;
  /** Wire bytes; spare bits at the end are always zero. */
  readonly bytes: Uint8Array;
  #count = 0;

  constructor(size: number, bytes?: Uint8Array) {
    this.size = size;
    const byteLength = Math.ceil(size / 8);
    if (bytes) {
      if (bytes.length !== byteLength) {
        throw new RangeError(`bitfield has ${bytes.length} bytes, expected ${byteLength}`);
      }
      const spare = byteLength * 8 - size;
      if (spare > 0 && (bytes[byteLength - 1] & ((1 << spare) - 1)) !== 0) {
        throw new RangeError("bitfield has spare bits set");
      }
      this.bytes = bytes.slice();
      for (const b of this.bytes) this.#count += POPCOUNT[b];
    } else {
      this.bytes = new Uint8Array(byteLength);
    }
  }

  /** A bitfield with every piece set. */
  static full(size: number): Bitfield {
    const bits = new Bitfield(size);
    for (let i = 0; i < size; i++) bits.set(i);
    return bits;
  }

  /** Number of set bits. */
  get count(): number {
    return this.#count;
  }

  /** True when every piece is set. */
  get complete(): boolean {
    return this.#count === this.size;
  }

  has(index: number): boolean {
    return (this.bytes[index >> 3] & (0x80 >> (index & 7))) !== 0;
  }

  /** Sets a bit; returns true if it was not set before. */
  set(index: number): boolean {
    if (index < 0 || index >= this.size) throw new RangeError(`piece ${index} out of range`);
    const mask = 0x80 >> (index & 7);
    if (this.bytes[index >> 3] & mask) return false;
    this.bytes[index >> 3] |= mask;
    this.#count++;
    return true;
  }

  /** Clears a bit; returns true if it was set before. */
  clear(index: number): boolean {
    const mask = 0x80 >> (index & 7);
    if (!(this.bytes[index >> 3] & mask)) return false;
    this.bytes[index >> 3] &= ~mask;
    this.#count--;
    return true;
  }
}

const POPCOUNT = Uint8Array.from({ length: 256 }, (_, n) => {
  let c = 0;
  for (; n; n &= n - 1) c++;
  return c;
});
