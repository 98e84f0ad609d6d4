/**
 * What a peer session needs from the torrent it belongs to: the picker, storage, and where to
 * report what its peer does.
 * @module
 */

import type { PexMessage } from "../extension/ut_pex.ts";
import type { PiecePicker } from "../picker/piece_picker.ts";
import type { TokenBucket } from "../util/token_bucket.ts";
import type { LocalExtensions } from "./peer_extensions.ts";
import type { PeerSession } from "./peer_session.ts";

/**
 * The torrent side of a {@linkcode PeerSession}.
 * @example
 * ```ts
 * class MyTorrent implements SwarmHost { ... }
 * ```
 */
export interface SwarmHost {
  readonly picker: PiecePicker;
  /** False while storage is backed up: no new requests until it drains. */
  readonly acceptingBlocks: boolean;
  /** True while a streaming read is open: requests are kept short for quick seeks. */
  readonly streaming: boolean;
  /** Shared by all sessions of the torrent: payload bytes we may upload; absent: no limit. */
  readonly uploadLimiter?: TokenBucket;
  /** A block arrived that we asked for. */
  onBlock(session: PeerSession, index: number, begin: number, block: Uint8Array): void;
  /** Reads a block to upload; only called for pieces we have. */
  readBlock(index: number, begin: number, length: number): Promise<Uint8Array>;
  /** Done with a block from `readBlock` (it was sent): its buffer may be reused. */
  releaseBlock(block: Uint8Array): void;
  /** Starts reading a piece we have ahead of the requests that will want it. */
  prefetchPiece(index: number): void;
  /** Whether this peer is among the fastest (time-critical pieces go only to those). */
  isFastPeer(session: PeerSession): boolean;
  /** Payload bytes were sent to the peer. */
  onUploaded(session: PeerSession, bytes: number): void;
  /** What we advertise in extended handshakes. */
  readonly localExtensions: LocalExtensions;
  /** Our info dict, served to peers that ask for it (BEP 9). */
  readonly infoBytes: Uint8Array | undefined;
  /** Our DHT's UDP port, told to peers that run a DHT (BEP 5 `port` message). */
  readonly dhtPort: number | undefined;
  /** The peer told us about other peers (BEP 11). */
  onPex?(session: PeerSession, message: PexMessage): void;
  /** The peer runs a DHT node on this UDP port. */
  onDhtPort?(session: PeerSession, port: number): void;
  /** The peer's interest in us changed (the choker may want to act). */
  onPeerInterest(session: PeerSession): void;
  /** The session ended; `reason` is one line for the log. */
  onClosed(session: PeerSession, reason: string): void;
}
