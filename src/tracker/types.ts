/**
 * Types shared by the HTTP and UDP tracker clients and their callers.
 * @module
 */

/** A peer's address as a tracker, PEX, DHT or the command line gives it. */
export interface PeerAddress {
  readonly host: string;
  readonly port: number;
  /** Present in non-compact HTTP replies. */
  readonly peerId?: Uint8Array;
}

/** The announce event, absent for a regular interval announce. */
export type AnnounceEvent = "started" | "completed" | "stopped";

/** What we tell a tracker. */
export interface AnnounceRequest {
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  readonly port: number;
  readonly uploaded: number;
  readonly downloaded: number;
  readonly left: number;
  readonly event?: AnnounceEvent;
  readonly numWant?: number;
  /**
   * A random 32-bit number, the same for every announce of this session, so a tracker can tell
   * us apart from another client behind the same IP (HTTP `key`, BEP 15 `key`).
   */
  readonly key?: number;
}

/** What a tracker tells us back. */
export interface AnnounceResponse {
  /** Seconds until the next regular announce. */
  readonly interval: number;
  readonly minInterval?: number;
  readonly peers: readonly PeerAddress[];
  /** Seeders, when the tracker says. */
  readonly complete?: number;
  /** Leechers, when the tracker says. */
  readonly incomplete?: number;
  readonly warning?: string;
}
