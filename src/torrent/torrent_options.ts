/**
 * How a {@linkcode Torrent} runs: where its data lives, how it finds and treats peers.
 * @module
 */

import type { DhtNode } from "../dht/dht_node.ts";
import type { PieceStrategy } from "../picker/piece_strategy.ts";
import type { StoreWriter } from "../storage/store_writer.ts";
import type { Announcers } from "../tracker/announcers.ts";
import type { EncryptionPolicy } from "../wire/encryption_policy.ts";

/** Options for a torrent. */
export interface TorrentOptions {
  /** Download folder. */
  readonly dir: string;
  readonly peerId?: Uint8Array;
  readonly strategy?: PieceStrategy;
  readonly maxPeers?: number;
  /** Peers we upload to at once. */
  readonly uploadSlots?: number;
  /**
   * Storage instead of the files in `dir` (kept by a FileStore, with a resume
   * file); a custom store has no resume file and no file skipping.
   */
  readonly store?: StoreWriter;
  /** Hash-check the data on disk even when the resume file vouches for it. */
  readonly recheck?: boolean;
  /** Keep uploading once complete ("seeding"); otherwise the state becomes "done". */
  readonly seed?: boolean;
  /** Stop with an error when no peer has been connected for this long (ms). */
  readonly giveUpAfterMs?: number;
  /** Connect timeout for outgoing peers (ms). */
  readonly connectTimeoutMs?: number;
  /** A peer with requests in flight that sends nothing for this long gets them taken away. */
  readonly snubAfterMs?: number;
  /** How to reach the metainfo's trackers; without it, peers come only from `addPeers`. */
  readonly announcers?: Announcers;
  /** The port we listen on, told to trackers. */
  readonly listenPort?: number;
  /** Only these files (metainfo indexes) are downloaded; the others are skipped. */
  readonly select?: readonly number[];
  /** The client's DHT node: peers are looked up and we are announced there (not for private torrents). */
  readonly dht?: DhtNode;
  /** Most payload bytes per second we upload, over all peers of this torrent; absent: no limit. */
  readonly uploadRateLimit?: number;
  /** How outgoing peer connections use encryption (MSE); default "tolerate". */
  readonly encryption?: EncryptionPolicy;
}
