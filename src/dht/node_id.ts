/**
 * Node ids and the XOR metric of Kademlia (BEP 5): 160-bit ids, distance is `a XOR b` read as an
 * unsigned big-endian number.
 * @module
 */

/** Bytes in a node id or an info hash. */
export const NODE_ID_LENGTH = 20;
/** Bits in a node id. */
export const NODE_ID_BITS = NODE_ID_LENGTH * 8;

/**
 * A fresh random node id.
 * @example
 * ```ts
 * randomNodeId().length; // 20
 * ```
 */
export function randomNodeId(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(NODE_ID_LENGTH));
}

/**
 * `a XOR b`, the Kademlia distance, as bytes (compare them big-endian).
 * @example
 * ```ts
 * xorDistance(new Uint8Array([1, 2]), new Uint8Array([3, 2])); // Uint8Array [2, 0]
 * ```
 */
export function xorDistance(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

/**
 * Negative when `a` is closer to `target` than `b`, positive when farther, 0 when equal.
 * @example
 * ```ts
 * const ids = [idB, idA].sort((a, b) => compareDistance(target, a, b)); // closest first
 * ```
 */
export function compareDistance(target: Uint8Array, a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < target.length; i++) {
    const d = (a[i] ^ target[i]) - (b[i] ^ target[i]);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * How many leading bits `a` and `b` share (160 when equal): the routing table bucket of `b` as
 * seen from `a`.
 * @example
 * ```ts
 * commonPrefixBits(new Uint8Array([0b1000_0000]), new Uint8Array([0b1100_0000])); // 1
 * ```
 */
export function commonPrefixBits(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ^ b[i];
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return a.length * 8;
}

/**
 * A random id that shares exactly the first `bits` bits with `base` and differs at bit `bits`
 * (or shares all of `base` when `bits` is 160): a target that lands in one routing table bucket,
 * used to refresh it.
 * @example
 * ```ts
 * commonPrefixBits(own, randomIdAtPrefix(own, 5)); // 5
 * ```
 */
export function randomIdAtPrefix(base: Uint8Array, bits: number): Uint8Array {
  if (bits >= NODE_ID_BITS) return base.slice();
  const id = randomNodeId();
  const whole = bits >> 3;
  id.set(base.subarray(0, whole));
  const bit = 0x80 >> (bits & 7);
  const keep = ~(bit * 2 - 1) & 0xff; // the bits of this byte before `bit`
  id[whole] = (base[whole] & keep) | (~base[whole] & bit) | (id[whole] & (bit - 1));
  return id;
}
