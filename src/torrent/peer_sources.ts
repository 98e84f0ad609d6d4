/**
 * Where a torrent's peers come from besides `--peer` and incoming connections: its trackers
 * (announced to on a schedule) and the DHT (looked up every few minutes).
 * @module
 */

import type { DhtNode } from "../dht/dht_node.ts";
import type { Metainfo } from "../metainfo/types.ts";
import type { Announcers } from "../tracker/announcers.ts";
import type { AnnounceStats } from "../tracker/tracker_tiers.ts";
import type { PeerAddress } from "../tracker/types.ts";
import { AnnounceLoop } from "./announce_loop.ts";
import { DhtPeerSource } from "./dht_peer_source.ts";
import type { TrackerSnapshot } from "./snapshot.ts";

/** Options of {@linkcode PeerSources}. */
export interface PeerSourcesOptions {
  readonly metainfo: Pick<Metainfo, "infoHash" | "announceTiers">;
  readonly peerId: Uint8Array;
  /** Our TCP port, told to trackers and the DHT. */
  readonly port: number;
  /** How to reach trackers; none: trackers are not used. */
  readonly announcers?: Announcers;
  /** The client's DHT; none (or a private torrent): the DHT is not used. */
  readonly dht?: DhtNode;
  readonly stats: () => AnnounceStats;
  readonly onPeers: (peers: PeerAddress[], source: string) => void;
  readonly onLog: (level: "info" | "warn", text: string) => void;
}

/**
 * A torrent's trackers and DHT lookups.
 * @example
 * ```ts
 * const sources = new PeerSources({ metainfo, peerId, port, announcers, dht, stats, onPeers, onLog });
 * sources.start();
 * await sources.stop();
 * ```
 */
export class PeerSources {
  readonly #announce: AnnounceLoop | undefined;
  readonly #dht: DhtPeerSource | undefined;
  /** Why the last whole announce failed, until one succeeds (for the "no peers" message). */
  trackerError: string | undefined;

  constructor(options: PeerSourcesOptions) {
    const { metainfo, announcers, dht, port, onPeers, onLog } = options;
    if (announcers && metainfo.announceTiers.length > 0) {
      this.#announce = AnnounceLoop.forTorrent({
        metainfo,
        peerId: options.peerId,
        port,
        announcers,
        stats: options.stats,
        onPeers: (peers) => {
          this.trackerError = undefined;
          onPeers(peers, "tracker");
        },
        onError: (message) => {
          this.trackerError = message;
          onLog("warn", `trackers: ${message}`);
        },
      });
    }
    if (dht) {
      this.#dht = new DhtPeerSource({
        dht,
        infoHash: metainfo.infoHash,
        port,
        onPeers: (peers) => onPeers(peers, "dht"),
        onLog: (text) => onLog("info", text),
      });
    }
  }

  start(): void {
    this.#announce?.start();
    this.#dht?.start();
  }

  /** The download completed: trackers hear `completed` once. */
  completed(): void {
    this.#announce?.completed();
  }

  trackerSnapshots(): TrackerSnapshot[] {
    return this.#announce?.snapshot() ?? [];
  }

  /** Stops lookups and tells the trackers we leave (bounded in time). */
  async stop(): Promise<void> {
    this.#dht?.stop();
    await this.#announce?.stop();
  }
}
