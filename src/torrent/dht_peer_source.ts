/**
 * Finds peers for one torrent in the DHT and announces us there: a lookup at start and then
 * every few minutes, each followed by an announce of our port.
 * @module
 */

import type { DhtNode } from "../dht/dht_node.ts";
import type { PeerAddress } from "../tracker/types.ts";

/** How often the DHT is asked again (BEP 5 peers expire after 30 min; we re-announce sooner). */
export const DHT_LOOKUP_INTERVAL_MS = 5 * 60_000;

/** Options of {@linkcode DhtPeerSource}. */
export interface DhtPeerSourceOptions {
  readonly dht: DhtNode;
  readonly infoHash: Uint8Array;
  /** Our TCP port, announced to the DHT. */
  readonly port: number;
  readonly onPeers: (peers: PeerAddress[]) => void;
  readonly onLog?: (text: string) => void;
  readonly intervalMs?: number;
}

/**
 * The DHT as a source of peers for one torrent.
 * @example
 * ```ts
 * const source = new DhtPeerSource({ dht, infoHash, port, onPeers: (p) => torrent.addPeers(p, "dht") });
 * source.start();
 * source.stop();
 * ```
 */
export class DhtPeerSource {
  readonly #options: DhtPeerSourceOptions;
  readonly #abort = new AbortController();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Distinct peers the DHT gave us, for the UI. */
  found = 0;

  constructor(options: DhtPeerSourceOptions) {
    this.#options = options;
  }

  start(): void {
    this.#round();
  }

  /** Looks up again now (e.g. when we are short of peers). */
  refresh(): void {
    clearTimeout(this.#timer);
    this.#round();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#abort.abort();
  }

  async #round(): Promise<void> {
    const { dht, infoHash, port, onPeers, onLog } = this.#options;
    const signal = this.#abort.signal;
    try {
      let batch: PeerAddress[] = [];
      for await (const peer of dht.lookup(infoHash, signal)) {
        this.found++;
        batch.push(peer);
        // Hand peers over as they come, a few at a time, so dialing starts early.
        if (batch.length >= 8) {
          onPeers(batch);
          batch = [];
        }
      }
      if (batch.length > 0) onPeers(batch);
      const accepted = await dht.announce(infoHash, port, signal);
      onLog?.(`DHT: ${this.found} peers found so far, announced to ${accepted} nodes`);
    } catch (error) {
      if (signal.aborted) return;
      onLog?.(`DHT: ${(error as Error).message}`);
    }
    if (signal.aborted) return;
    this.#timer = setTimeout(
      () => this.#round(),
      this.#options.intervalMs ?? DHT_LOOKUP_INTERVAL_MS,
    );
  }
}
