/**
 * The 68-byte BitTorrent handshake (BEP 3) and the reserved bits that advertise extensions.
 * @module
 */

import { bytesEqual } from "../util/bytes.ts";

/** Length of a handshake on the wire. */
export const HANDSHAKE_LENGTH = 68;

const PROTOCOL = new TextEncoder().encode("BitTorrent protocol");

/** Extensions a peer may advertise in the reserved bytes. */
export interface HandshakeFeatures {
  /** BEP 10 extension protocol (reserved[5] & 0x10). */
  readonly extended: boolean;
  /** BEP 6 fast extension (reserved[7] & 0x04). */
  readonly fast: boolean;
  /** BEP 5 DHT port message (reserved[7] & 0x01). */
  readonly dht: boolean;
}

/** A decoded handshake. */
export interface Handshake {
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  readonly features: HandshakeFeatures;
}

/** Raised for a malformed handshake; the connection is dropped. */
export class HandshakeError extends Error {
  override name = "HandshakeError";
}

/**
 * Encodes a handshake.
 * @example
 * ```ts
 * const bytes = encodeHandshake({
 *   infoHash: new Uint8Array(20),
 *   peerId: new Uint8Array(20),
 *   features: { extended: true, fast: true, dht: false },
 * });
 * bytes.length; // 68
 * ```
 */
export function encodeHandshake(handshake: Handshake): Uint8Array {
  if (handshake.infoHash.length !== 20 || handshake.peerId.length !== 20) {
    throw new RangeError("info-hash and peer-id must be 20 bytes");
  }
  const out = new Uint8Array(HANDSHAKE_LENGTH);
  out[0] = PROTOCOL.length;
  out.set(PROTOCOL, 1);
  const { extended, fast, dht } = handshake.features;
  if (extended) out[20 + 5] |= 0x10;
  if (fast) out[20 + 7] |= 0x04;
  if (dht) out[20 + 7] |= 0x01;
  out.set(handshake.infoHash, 28);
  out.set(handshake.peerId, 48);
  return out;
}

/**
 * Decodes a 68-byte handshake. Throws {@linkcode HandshakeError} on a foreign protocol.
 * @example
 * ```ts
 * const hs = { infoHash: new Uint8Array(20), peerId: new Uint8Array(20),
 *   features: { extended: false, fast: true, dht: false } };
 * decodeHandshake(encodeHandshake(hs)).features.fast; // true
 * ```
 */
export function decodeHandshake(bytes: Uint8Array): Handshake {
  if (bytes.length !== HANDSHAKE_LENGTH) {
    throw new HandshakeError(`handshake is ${bytes.length} bytes, expected 68`);
  }
  if (bytes[0] !== PROTOCOL.length || !bytesEqual(bytes.subarray(1, 20), PROTOCOL)) {
    throw new HandshakeError("not a BitTorrent handshake");
  }
  const reserved = bytes.subarray(20, 28);
  return {
    infoHash: bytes.slice(28, 48),
    peerId: bytes.slice(48, 68),
    features: {
      extended: (reserved[5] & 0x10) !== 0,
      fast: (reserved[7] & 0x04) !== 0,
      dht: (reserved[7] & 0x01) !== 0,
    },
  };
}
