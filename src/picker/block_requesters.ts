/**
 * Who was asked for each block of a piece in flight.
 *
 * Nearly every block is asked of one peer, so that one sits in a typed array; only blocks
 * asked of several (endgame, late critical blocks) get a list. An array per block, as before,
 * made some 60 small objects per piece that lived as long as the piece was in flight: long
 * enough to survive young-generation collections, and so made V8 grow its young generation
 * (peak RSS of a 1 GiB download: 142 MiB with them, 130 without).
 * @module
 */

/** A peer, as the picker knows it: a small non-negative integer. */
export type PeerKey = number;

const NONE = -1;
const NO_PEERS: readonly PeerKey[] = Object.freeze([]);

/**
 * The requesters of each block of one piece.
 * @example
 * ```ts
 * const who = new BlockRequesters(16);
 * who.add(3, 7);
 * who.add(3, 9);
 * who.count(3); // 2
 * who.take(3, 7); // [9]: the others to cancel once peer 7 delivered block 3
 * who.count(3); // 0
 * ```
 */
export class BlockRequesters {
  readonly #first: Int32Array;
  /** Requesters after the first, for the few blocks that have them. */
  #more: Map<number, PeerKey[]> | undefined;

  constructor(blockCount: number) {
    this.#first = new Int32Array(blockCount).fill(NONE);
  }

  /** How many peers were asked for block `b`. */
  count(b: number): number {
    if (this.#first[b] === NONE) return 0;
    return 1 + (this.#more?.get(b)?.length ?? 0);
  }

  /** Whether `peer` was asked for block `b`. */
  has(b: number, peer: PeerKey): boolean {
    return this.#first[b] === peer || (this.#more?.get(b)?.includes(peer) ?? false);
  }

  /** Records that `peer` was asked for block `b`. */
  add(b: number, peer: PeerKey): void {
    if (this.#first[b] === NONE) {
      this.#first[b] = peer;
      return;
    }
    this.#more ??= new Map();
    const more = this.#more.get(b);
    if (more) more.push(peer);
    else this.#more.set(b, [peer]);
  }

  /** Forgets that `peer` was asked for block `b`. */
  remove(b: number, peer: PeerKey): void {
    const more = this.#more?.get(b);
    if (this.#first[b] === peer) {
      // The next requester, if any, takes the first place.
      this.#first[b] = more?.shift() ?? NONE;
    } else if (more) {
      const at = more.indexOf(peer);
      if (at >= 0) more.splice(at, 1);
    }
    if (more?.length === 0) this.#more!.delete(b);
  }

  /** Clears block `b` (it arrived from `from`) and returns the other peers asked for it. */
  take(b: number, from: PeerKey): readonly PeerKey[] {
    const first = this.#first[b];
    const more = this.#more?.get(b);
    this.#first[b] = NONE;
    if (!more) return first === NONE || first === from ? NO_PEERS : [first];
    this.#more!.delete(b);
    return [first, ...more].filter((peer) => peer !== from);
  }

  /** Forgets every request, so the record can serve another piece of as many blocks. */
  clear(): void {
    this.#first.fill(NONE);
    this.#more = undefined;
  }

  /** Every peer asked for any block, once per block asked (for snapshots). */
  *peers(): Generator<PeerKey> {
    for (let b = 0; b < this.#first.length; b++) {
      if (this.#first[b] === NONE) continue;
      yield this.#first[b];
      yield* this.#more?.get(b) ?? [];
    }
  }
}
