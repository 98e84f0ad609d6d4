/**
 * Peers other nodes announced to us (announce_peer), served back in get_peers replies. Bounded
 * in torrents and in peers per torrent, and every entry expires. Pure: time comes in as `now`.
 * @module
 */

import { toHex } from "../util/bytes.ts";
import type { PeerAddress } from "../tracker/types.ts";

/** Limits of a {@link PeerStore}. */
export interface PeerStoreLimits {
  /** Torrents tracked; the one announced least recently is dropped for a new one. */
  readonly maxTorrents: number;
  /** Peers kept per torrent; the oldest announce is dropped for a new one. */
  readonly maxPeersPerTorrent: number;
  /** How long an announce counts (BEP 5 gives no figure; libtorrent keeps 30 minutes). */
  readonly ttlMs: number;
}

/** Defaults, about libtorrent's. */
export const DEFAULT_PEER_STORE_LIMITS: PeerStoreLimits = {
  maxTorrents: 2000,
  maxPeersPerTorrent: 200,
  ttlMs: 30 * 60_000,
};

/**
 * Announced peers by info hash.
 * @example
 * ```ts
 * const store = new PeerStore();
 * store.add(infoHash, { host: "192.0.2.7", port: 6881 }, Date.now());
 * store.get(infoHash, Date.now(), 50); // [{ host: "192.0.2.7", port: 6881 }]
 * ```
 */
export class PeerStore {
  readonly limits: PeerStoreLimits;
  /** info hash hex → "host:port" → expiry; Map order is least recently announced first. */
  #torrents = new Map<string, Map<string, { peer: PeerAddress; expires: number }>>();

  constructor(limits: PeerStoreLimits = DEFAULT_PEER_STORE_LIMITS) {
    this.limits = limits;
  }

  /** Records (or refreshes) `peer` for `infoHash`. */
  add(infoHash: Uint8Array, peer: PeerAddress, now: number): void {
    const key = toHex(infoHash);
    let peers = this.#torrents.get(key);
    if (peers) {
      this.#torrents.delete(key);
    } else {
      peers = new Map();
      if (this.#torrents.size >= this.limits.maxTorrents) {
        this.#torrents.delete(this.#torrents.keys().next().value!);
      }
    }
    this.#torrents.set(key, peers);
    const address = `${peer.host}:${peer.port}`;
    peers.delete(address);
    if (peers.size >= this.limits.maxPeersPerTorrent) peers.delete(peers.keys().next().value!);
    peers.set(address, {
      peer: { host: peer.host, port: peer.port },
      expires: now + this.limits.ttlMs,
    });
  }

  /** Up to `max` live peers of `infoHash`, a random pick when there are more. */
  get(infoHash: Uint8Array, now: number, max: number): PeerAddress[] {
    const peers = this.#torrents.get(toHex(infoHash));
    if (!peers) return [];
    const live = [...peers.values()].filter((p) => p.expires > now).map((p) => p.peer);
    for (let i = live.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [live[i], live[j]] = [live[j], live[i]];
    }
    return live.slice(0, max);
  }

  /** Drops expired peers and torrents left with none. */
  prune(now: number): void {
    for (const [key, peers] of this.#torrents) {
      for (const [address, p] of peers) if (p.expires <= now) peers.delete(address);
      if (peers.size === 0) this.#torrents.delete(key);
    }
  }

  /** Torrents and peers held. */
  size(): { torrents: number; peers: number } {
    let peers = 0;
    for (const p of this.#torrents.values()) peers += p.size;
    return { torrents: this.#torrents.size, peers };
  }
}
