/**
 * A scriptable BEP 15 tracker on 127.0.0.1 for tests. It parses requests by byte offsets of its
 * own (not with our encoder), so it checks our packets against the spec.
 * @module
 */

import dgram from "node:dgram";
import { encodeCompactPeers } from "../../src/tracker/compact_peers.ts";
import type { PeerAddress } from "../../src/tracker/types.ts";

/** An announce request as the fake tracker read it. */
export interface SeenAnnounce {
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  readonly downloaded: bigint;
  readonly left: bigint;
  readonly uploaded: bigint;
  readonly event: number;
  readonly key: number;
  readonly numWant: number;
  readonly port: number;
}

/** How the fake tracker behaves. */
export interface FakeUdpBehaviour {
  /** Ignore this many packets first (to force retransmits); Infinity never answers. */
  drop?: number;
  /** Answer announces with this error message. */
  error?: string;
  peers?: PeerAddress[];
  interval?: number;
  /** Listen on ::1 and send 18-byte peers (BEP 15 over IPv6); default 4, on 127.0.0.1. */
  family?: 4 | 6;
}

/** A running fake UDP tracker. */
export interface FakeUdpTracker {
  readonly url: string;
  /** Every packet received, answered or not. */
  readonly packets: number;
  readonly connects: number;
  readonly announces: SeenAnnounce[];
  close(): Promise<void>;
}

/**
 * Starts a fake UDP tracker on a free port of 127.0.0.1 (or ::1).
 * @example
 * ```ts
 * const tracker = await startFakeUdpTracker({ peers: [{ host: "10.0.0.1", port: 6881 }] });
 * await tracker.close();
 * ```
 */
export async function startFakeUdpTracker(
  behaviour: FakeUdpBehaviour = {},
): Promise<FakeUdpTracker> {
  const family = behaviour.family ?? 4;
  const host = family === 4 ? "127.0.0.1" : "::1";
  const socket = dgram.createSocket(family === 4 ? "udp4" : "udp6");
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  const connectionIds = new Set<bigint>();
  const state = { packets: 0, connects: 0, announces: [] as SeenAnnounce[] };
  socket.on("message", (message, from) => {
    state.packets++;
    if (state.packets <= (behaviour.drop ?? 0)) return;
    const bytes = new Uint8Array(message);
    if (bytes.length < 16) return;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const reply = (out: Uint8Array) => socket.send(out, from.port, from.address);
    const action = view.getUint32(8);
    const transactionId = view.getUint32(12);
    if (bytes.length >= 16 && action === 0 && view.getBigUint64(0) === 0x41727101980n) {
      state.connects++;
      const id = crypto.getRandomValues(new BigUint64Array(1))[0];
      connectionIds.add(id);
      reply(header(0, transactionId, 8, (v) => v.setBigUint64(8, id)));
    } else if (bytes.length >= 98 && action === 1) {
      if (!connectionIds.has(view.getBigUint64(0))) {
        return reply(errorReply(transactionId, "unknown connection id"));
      }
      state.announces.push({
        infoHash: bytes.slice(16, 36),
        peerId: bytes.slice(36, 56),
        downloaded: view.getBigUint64(56),
        left: view.getBigUint64(64),
        uploaded: view.getBigUint64(72),
        event: view.getUint32(80),
        key: view.getUint32(88),
        numWant: view.getInt32(92),
        port: view.getUint16(96),
      });
      if (behaviour.error) return reply(errorReply(transactionId, behaviour.error));
      const peers = encodeCompactPeers(behaviour.peers ?? [], family);
      const out = header(1, transactionId, 12 + peers.length, (v) => {
        v.setUint32(8, behaviour.interval ?? 1800);
        v.setUint32(12, 3); // leechers
        v.setUint32(16, 5); // seeders
      });
      out.set(peers, 20);
      reply(out);
    }
  });
  const { port } = socket.address();
  return {
    url: `udp://${family === 4 ? host : `[${host}]`}:${port}/announce`,
    get packets() {
      return state.packets;
    },
    get connects() {
      return state.connects;
    },
    announces: state.announces,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function header(action: number, transactionId: number, extra: number, fill: (v: DataView) => void) {
  const out = new Uint8Array(8 + extra);
  const view = new DataView(out.buffer);
  view.setUint32(0, action);
  view.setUint32(4, transactionId);
  fill(view);
  return out;
}

function errorReply(transactionId: number, message: string): Uint8Array {
  const text = new TextEncoder().encode(message);
  const out = header(3, transactionId, text.length, () => {});
  out.set(text, 8);
  return out;
}
