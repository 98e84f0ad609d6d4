/**
 * Two ends of a test connection for one torrent: the side that serves (accepts) and the side
 * that dials, with distinct peer-ids so neither looks like a connection to itself.
 * @module
 */

import type { LocalIdentity } from "../../src/wire/peer_connection.ts";

/** The accepting side. */
export const SERVED: LocalIdentity = {
  infoHash: new Uint8Array(20).fill(0x11),
  peerId: new Uint8Array(20).fill(0x22),
  features: { extended: true, fast: true, dht: false },
};

/** The dialling side: same torrent, another peer-id. */
export const CLIENT: LocalIdentity = { ...SERVED, peerId: new Uint8Array(20).fill(0x33) };
