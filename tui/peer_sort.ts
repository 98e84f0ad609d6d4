/**
 * Orders the peer table. `s` cycles through the keys; ties fall back to the address so rows do
 * not jump between frames when rates are equal.
 * @module
 */

import type { PeerSnapshot } from "../src/torrent/snapshot.ts";

/**
 * What the peer table can be sorted by, in the order `s` cycles.
 * @example
 * ```ts
 * PEER_SORT_KEYS[0]; // "down"
 * ```
 */
export const PEER_SORT_KEYS = ["down", "up", "progress", "requests", "client", "address"] as const;
/** One of {@linkcode PEER_SORT_KEYS}. */
export type PeerSortKey = typeof PEER_SORT_KEYS[number];

const compareAddress = (a: PeerSnapshot, b: PeerSnapshot) =>
  a.address < b.address ? -1 : a.address > b.address ? 1 : 0;

const ORDER: Record<PeerSortKey, (a: PeerSnapshot, b: PeerSnapshot) => number> = {
  down: (a, b) => b.downRate - a.downRate,
  up: (a, b) => b.upRate - a.upRate,
  progress: (a, b) => b.progress - a.progress,
  requests: (a, b) => b.outstanding - a.outstanding,
  client: (a, b) => a.client.localeCompare(b.client),
  address: () => 0,
};

/**
 * A sorted copy of the peers: rates, progress and requests descending, names ascending.
 * @example
 * ```ts
 * sortPeers(snapshot.peers, "down")[0]; // the fastest peer
 * ```
 */
export function sortPeers(peers: readonly PeerSnapshot[], key: PeerSortKey): PeerSnapshot[] {
  const order = ORDER[key];
  return [...peers].sort((a, b) => order(a, b) || compareAddress(a, b));
}

/**
 * The key after `key` in the cycle.
 * @example
 * ```ts
 * nextPeerSort("down"); // "up"
 * ```
 */
export function nextPeerSort(key: PeerSortKey): PeerSortKey {
  return PEER_SORT_KEYS[(PEER_SORT_KEYS.indexOf(key) + 1) % PEER_SORT_KEYS.length];
}
