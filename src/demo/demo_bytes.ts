/**
 * The demo's content: pseudo-random bytes that are a pure function of their offset in the
 * torrent, so any piece can be written on its own (a partial peer's sparse files) and every run
 * gives the same torrent. Not cryptographic: cheap, which is what a few hundred MB need.
 * @module
 */

/**
 * Fills `out` with the demo bytes found at torrent offset `offset` (a multiple of 4).
 * Each 32-bit word is MurmurHash3's finalizer of its index mixed with `seed`: counter-based, so
 * seeking is free, and about 1 GB/s in V8.
 * @example
 * ```ts
 * const whole = new Uint8Array(8);
 * fillDemoBytes(whole, 0, 1);
 * const tail = new Uint8Array(4);
 * fillDemoBytes(tail, 4, 1); // equal to whole.subarray(4)
 * ```
 */
export function fillDemoBytes(out: Uint8Array, offset: number, seed: number): void {
  if (offset % 4 !== 0) throw new RangeError(`demo bytes start at multiples of 4, not ${offset}`);
  const wholeWords = out.length >> 2;
  const words = out.byteOffset % 4 === 0
    ? new Uint32Array(out.buffer, out.byteOffset, wholeWords)
    : undefined;
  // Word indexes past 2^32 wrap; the demo stays far below 16 GiB.
  const first = (offset / 4) >>> 0;
  const key = Math.imul(seed | 0, 0x9e3779b9);
  for (let i = 0; i < wholeWords; i++) {
    const word = mix((first + i) ^ key);
    if (words) words[i] = word;
    else writeWord(out, i * 4, word, 4);
  }
  const rest = out.length - wholeWords * 4;
  if (rest > 0) writeWord(out, wholeWords * 4, mix((first + wholeWords) ^ key), rest);
}

/** MurmurHash3's 32-bit finalizer: every input bit affects every output bit. */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Little-endian, as a Uint32Array writes on the platforms Deno runs on. */
function writeWord(out: Uint8Array, at: number, word: number, count: number): void {
  for (let k = 0; k < count; k++) out[at + k] = (word >>> (8 * k)) & 0xff;
}
