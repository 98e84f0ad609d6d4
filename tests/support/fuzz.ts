/**
 * Deterministic random inputs for the decoder fuzz tests: a seeded generator and byte mutations
 * (flips, truncation, insertion, splicing random bytes), so a failure reproduces exactly.
 * @module
 */

/** A seeded source of random numbers. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  bytes(length: number): Uint8Array;
}

/**
 * Mulberry32: small, fast and good enough to drive mutations.
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random.int(10);
 * ```
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    bytes: (length) => Uint8Array.from({ length }, () => int(256)),
  };
}

/**
 * A copy of `input` with one to four random edits.
 * @example
 * ```ts
 * const mutated = mutate(seededRandom(1), new Uint8Array([1, 2, 3]));
 * ```
 */
export function mutate(random: Random, input: Uint8Array): Uint8Array {
  let bytes = input.slice();
  const edits = 1 + random.int(4);
  for (let i = 0; i < edits; i++) {
    const at = random.int(bytes.length + 1);
    switch (random.int(5)) {
      case 0: // flip a byte
        if (bytes.length > 0) bytes[at % bytes.length] = random.int(256);
        break;
      case 1: // truncate
        bytes = bytes.slice(0, at);
        break;
      case 2: // insert random bytes
        bytes = Uint8Array.from([
          ...bytes.subarray(0, at),
          ...random.bytes(1 + random.int(8)),
          ...bytes.subarray(at),
        ]);
        break;
      case 3: // delete a run
        bytes = Uint8Array.from([
          ...bytes.subarray(0, at),
          ...bytes.subarray(at + 1 + random.int(8)),
        ]);
        break;
      case 4: // set an ASCII digit, which bencode lengths and integers are made of
        if (bytes.length > 0) bytes[at % bytes.length] = 0x30 + random.int(10);
        break;
    }
  }
  return bytes;
}
