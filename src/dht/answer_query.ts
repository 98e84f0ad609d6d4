/**
 * How a node answers the four BEP 5 queries, from its routing table, peer store and tokens.
 * Pure apart from the state it is handed: time comes in as `now`.
 * @module
 */

import type { PeerAddress } from "../tracker/types.ts";
import { KrpcErrorCode, type KrpcMessage } from "./krpc.ts";
import type { IncomingQuery, UdpAddress } from "./krpc_socket.ts";
import type { PeerStore } from "./peer_store.ts";
import { K, type RoutingTable } from "./routing_table.ts";
import type { TokenIssuer } from "./tokens.ts";

/** Peers in one get_peers reply: 50 keep the packet near 600 bytes, well under any MTU. */
export const MAX_PEERS_PER_REPLY = 50;

/** What answering needs. */
export interface AnswerContext {
  readonly table: RoutingTable;
  readonly peers: PeerStore;
  readonly tokens: TokenIssuer;
  /** Told of each accepted announce (for the UI and tests). */
  readonly onAnnounce?: (infoHash: Uint8Array, peer: PeerAddress) => void;
}

/** A reply to send. */
export type Reply = Extract<KrpcMessage, { kind: "response" | "error" }>;

/**
 * The reply to `message` from `from`. get_peers always carries a token and the closest nodes,
 * plus peers when any were announced; announce_peer needs a token we gave that IP in the last
 * 5 to 10 minutes; unknown methods get error 204.
 * @example
 * ```ts
 * const reply = answerQuery({ table, peers, tokens }, message, { host: "192.0.2.7", port: 6881 }, Date.now());
 * ```
 */
export function answerQuery(
  context: AnswerContext,
  message: IncomingQuery,
  from: UdpAddress,
  now: number,
): Reply {
  const { table, peers, tokens } = context;
  const { t, query } = message;
  const id = table.ownId;
  switch (query.method) {
    case "ping":
      return { kind: "response", t, response: { id } };
    case "find_node":
      return { kind: "response", t, response: { id, nodes: table.closest(query.target, K) } };
    case "get_peers": {
      const values = peers.get(query.infoHash, now, MAX_PEERS_PER_REPLY);
      return {
        kind: "response",
        t,
        response: {
          id,
          token: tokens.issue(from.host, now),
          nodes: table.closest(query.infoHash, K),
          values: values.length > 0 ? values : undefined,
        },
      };
    }
    case "announce_peer": {
      if (!tokens.verify(from.host, query.token, now)) {
        return { kind: "error", t, code: KrpcErrorCode.protocol, message: "bad token" };
      }
      const peer = { host: from.host, port: query.impliedPort ? from.port : query.port };
      peers.add(query.infoHash, peer, now);
      context.onAnnounce?.(query.infoHash, peer);
      return { kind: "response", t, response: { id } };
    }
    case "unknown":
      return { kind: "error", t, code: KrpcErrorCode.methodUnknown, message: "Method Unknown" };
  }
}
