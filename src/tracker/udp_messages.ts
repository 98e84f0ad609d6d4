/**
 * BEP 15 UDP tracker messages: building connect and announce requests and checking the replies
 * (transaction id, action, length). Pure; the socket work is in `udp_tracker.ts`.
 * @module
 */

import { decodeCompactPeers } from "./compact_peers.ts";
import { TrackerError, TrackerRefusal, trackerText } from "./tracker_error.ts";
import type { AnnounceEvent, AnnounceRequest, AnnounceResponse } from "./types.ts";

/** The magic constant a connect request starts with. */
const PROTOCOL_ID = 0x41727101980n;

/** Action codes of BEP 15. */
const Action = { connect: 0, announce: 1, error: 3 } as const;

/** Event codes of a BEP 15 announce (0 is a regular announce). */
const EVENT_CODE: Record<AnnounceEvent, number> = { completed: 1, started: 2, stopped: 3 };

const ANNOUNCE_REPLY_HEADER = 20;

/**
 * The 16-byte connect request.
 * @example
 * ```ts
 * encodeConnectRequest(0x1234); // Uint8Array(16)
 * ```
 */
export function encodeConnectRequest(transactionId: number): Uint8Array {
  const out = new Uint8Array(16);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, PROTOCOL_ID);
  view.setUint32(8, Action.connect);
  view.setUint32(12, transactionId >>> 0);
  return out;
}

/**
 * The 98-byte announce request. `connectionId` is the 8 bytes a connect reply gave; the IP field
 * is 0 (the tracker uses the packet's source address); `numWant` absent means the tracker default.
 * @example
 * ```ts
 * const packet = encodeAnnounceRequest(connectionId, 7, request); // Uint8Array(98)
 * ```
 */
export function encodeAnnounceRequest(
  connectionId: Uint8Array,
  transactionId: number,
  request: AnnounceRequest,
): Uint8Array {
  if (connectionId.length !== 8) throw new Error("a connection id is 8 bytes");
  if (request.infoHash.length !== 20) throw new Error("an info hash is 20 bytes");
  if (request.peerId.length !== 20) throw new Error("a peer id is 20 bytes");
  const out = new Uint8Array(98);
  const view = new DataView(out.buffer);
  out.set(connectionId, 0);
  view.setUint32(8, Action.announce);
  view.setUint32(12, transactionId >>> 0);
  out.set(request.infoHash, 16);
  out.set(request.peerId, 36);
  view.setBigUint64(56, BigInt(request.downloaded));
  view.setBigUint64(64, BigInt(request.left));
  view.setBigUint64(72, BigInt(request.uploaded));
  view.setUint32(80, request.event ? EVENT_CODE[request.event] : 0);
  view.setUint32(84, 0);
  view.setUint32(88, (request.key ?? 0) >>> 0);
  view.setInt32(92, request.numWant ?? -1);
  view.setUint16(96, request.port);
  return out;
}

/**
 * The transaction id of any reply, so a shared socket can route it; undefined when too short.
 * @example
 * ```ts
 * udpReplyTransactionId(reply); // 7
 * ```
 */
export function udpReplyTransactionId(reply: Uint8Array): number | undefined {
  return reply.length < 8 ? undefined : view(reply).getUint32(4);
}

/**
 * The 8-byte connection id of a connect reply. Throws {@linkcode TrackerRefusal} for the
 * tracker's error reply, {@linkcode TrackerError} on a wrong transaction id or action or a short
 * reply.
 * @example
 * ```ts
 * const connectionId = decodeConnectResponse(reply, 7);
 * ```
 */
export function decodeConnectResponse(reply: Uint8Array, transactionId: number): Uint8Array {
  checkReply(reply, transactionId, Action.connect, 16);
  return reply.slice(8, 16);
}

/**
 * The interval, swarm counts and peers of an announce reply. Peers are 6-byte entries over IPv4
 * and 18-byte ones when the request went over IPv6 (`family`). Throws {@linkcode TrackerError}
 * like {@linkcode decodeConnectResponse}.
 * @example
 * ```ts
 * const { interval, peers } = decodeAnnounceResponse(reply, 7, 4);
 * ```
 */
export function decodeAnnounceResponse(
  reply: Uint8Array,
  transactionId: number,
  family: 4 | 6,
): AnnounceResponse {
  checkReply(reply, transactionId, Action.announce, 8);
  // opentracker answers a torrent it does not serve (off its whitelist) with the bare header.
  if (reply.length === 8) throw new TrackerRefusal("empty announce reply (torrent not served?)");
  checkReply(reply, transactionId, Action.announce, ANNOUNCE_REPLY_HEADER);
  const v = view(reply);
  return {
    interval: v.getUint32(8),
    incomplete: v.getUint32(12),
    complete: v.getUint32(16),
    peers: decodeCompactPeers(reply.subarray(ANNOUNCE_REPLY_HEADER), family),
  };
}

function checkReply(reply: Uint8Array, transactionId: number, action: number, minLength: number) {
  if (reply.length < 8) {
    throw new TrackerError(`UDP tracker reply too short (${reply.length} bytes)`);
  }
  const v = view(reply);
  const got = v.getUint32(4);
  if (got !== transactionId >>> 0) {
    throw new TrackerError(
      `UDP tracker reply for transaction ${got}, expected ${transactionId >>> 0}`,
    );
  }
  const gotAction = v.getUint32(0);
  if (gotAction === Action.error) {
    throw new TrackerRefusal(trackerText(reply.subarray(8)));
  }
  if (gotAction !== action) {
    throw new TrackerError(`UDP tracker reply has action ${gotAction}, expected ${action}`);
  }
  if (reply.length < minLength) {
    throw new TrackerError(
      `UDP tracker reply too short (${reply.length} bytes, need ${minLength})`,
    );
  }
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
