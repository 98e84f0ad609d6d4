/**
 * RC4, the stream cipher of Message Stream Encryption. MSE keys it with 160-bit SHA-1 digests and
 * drops the first 1024 bytes of keystream (RC4's early output is biased). A few lines over a
 * 256-byte state: no I/O, and it encrypts in place so buffers from a pool stay with their owner.
 * @module
 */

/** Keystream bytes MSE discards after keying (RC4-drop1024). */
export const MSE_DISCARD = 1024;

/**
 * One direction of an RC4 stream. {@linkcode Rc4.apply} XORs the keystream into bytes in place,
 * so encrypting and decrypting are the same call.
 * @example
 * ```ts
 * const rc4 = new Rc4(new TextEncoder().encode("Key"));
 * const bytes = new TextEncoder().encode("Plaintext");
 * rc4.apply(bytes); // bytes: bb f3 16 e8 d9 40 af 0a d3
 * ```
 */
export class Rc4 {
  readonly #s = new Uint8Array(256);
  #i = 0;
  #j = 0;

  constructor(key: Uint8Array) {
    if (key.length === 0 || key.length > 256) throw new RangeError("RC4 key must be 1..256 bytes");
    const s = this.#s;
    for (let i = 0; i < 256; i++) s[i] = i;
    let j = 0;
    for (let i = 0; i < 256; i++) {
      j = (j + s[i] + key[i % key.length]) & 0xff;
      const t = s[i];
      s[i] = s[j];
      s[j] = t;
    }
  }

  /** XORs the next `bytes.length` keystream bytes into `bytes`. */
  apply(bytes: Uint8Array): void {
    const s = this.#s;
    let i = this.#i;
    let j = this.#j;
    for (let n = 0; n < bytes.length; n++) {
      i = (i + 1) & 0xff;
      const si = s[i];
      j = (j + si) & 0xff;
      const sj = s[j];
      s[i] = sj;
      s[j] = si;
      bytes[n] ^= s[(si + sj) & 0xff];
    }
    this.#i = i;
    this.#j = j;
  }

  /** Skips `count` keystream bytes. */
  discard(count: number): void {
    this.apply(new Uint8Array(count));
  }
}

/**
 * An RC4 stream keyed the MSE way: `key` (a 20-byte digest), first 1024 keystream bytes dropped.
 * @example
 * ```ts
 * const cipher = mseRc4(new Uint8Array(20));
 * cipher.apply(new Uint8Array(8));
 * ```
 */
export function mseRc4(key: Uint8Array): Rc4 {
  const rc4 = new Rc4(key);
  rc4.discard(MSE_DISCARD);
  return rc4;
}
