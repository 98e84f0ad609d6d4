/**
 * Who gets to download from us (BEP 3 choking): tit-for-tat on the rate peers give us (or, while
 * seeding, the rate they take), plus one optimistic slot that rotates so newcomers get a chance.
 * Pure: the torrent calls it with a view of its peers and applies the result.
 * @module
 */

/** What the choker needs to know of a peer. */
export interface ChokerPeer {
  readonly key: number;
  readonly peerInterested: boolean;
  /** Bytes per second the peer sends us. */
  readonly downRate: number;
  /** Bytes per second we send the peer. */
  readonly upRate: number;
  /** The peer has stopped sending us what we asked for. */
  readonly snubbed: boolean;
}

/** State carried between rounds. */
export interface ChokerState {
  optimistic: number | undefined;
  optimisticSince: number;
}

/** How often regular slots are re-ranked (ms), and how long an optimistic slot lasts. */
export const RECHOKE_INTERVAL_MS = 10_000;
export const OPTIMISTIC_INTERVAL_MS = 30_000;

/**
 * The peers to unchoke: the best `slots - 1` interested peers by rate, plus one optimistic.
 * @example
 * ```ts
 * const state = { optimistic: undefined, optimisticSince: 0 };
 * const unchoked = chooseUnchoked(peers, { slots: 4, seeding: false, now: Date.now() }, state);
 * ```
 */
export function chooseUnchoked(
  peers: readonly ChokerPeer[],
  options: { slots: number; seeding: boolean; now: number; random?: () => number },
  state: ChokerState,
): Set<number> {
  const interested = peers.filter((p) => p.peerInterested);
  const rate = (p: ChokerPeer) => (options.seeding ? p.upRate : p.downRate);
  const ranked = interested
    .filter((p) => options.seeding || !p.snubbed)
    .sort((a, b) => rate(b) - rate(a));
  const regular = ranked.slice(0, Math.max(0, options.slots - 1));
  const chosen = new Set(regular.map((p) => p.key));
  const stillThere = interested.some((p) => p.key === state.optimistic && !chosen.has(p.key));
  if (!stillThere || options.now - state.optimisticSince >= OPTIMISTIC_INTERVAL_MS) {
    const candidates = interested.filter((p) => !chosen.has(p.key) && p.key !== state.optimistic);
    const pool = candidates.length > 0 ? candidates : interested.filter((p) => !chosen.has(p.key));
    const pick = pool[Math.floor((options.random ?? Math.random)() * pool.length)];
    state.optimistic = pick?.key;
    state.optimisticSince = options.now;
  }
  if (state.optimistic !== undefined) chosen.add(state.optimistic);
  // Free slots (few interested peers) are not left idle.
  for (const p of ranked) {
    if (chosen.size >= options.slots) break;
    chosen.add(p.key);
  }
  return chosen;
}
