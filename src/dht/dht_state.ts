/**
 * What a DHT node saves between runs: its id (so the nodes that knew it still route to it) and
 * the routing table's nodes (so it can start without a bootstrap router). JSON-safe.
 * @module
 */

import { fromHex, toHex } from "../util/bytes.ts";
import { parseIpv4 } from "../tracker/compact_peers.ts";
import { DhtError } from "./dht_error.ts";
import type { CompactNode } from "./krpc.ts";
import { NODE_ID_LENGTH } from "./node_id.ts";

/** Nodes saved at most; a full table of a busy node holds a few hundred. */
export const MAX_STATE_NODES = 300;

/** A saved DHT node, as JSON. */
export interface DhtState {
  /** 40 hex digits. */
  readonly nodeId: string;
  readonly nodes: readonly { readonly id: string; readonly host: string; readonly port: number }[];
}

/**
 * Checks a state read back from disk (untrusted JSON) and returns it as binary ids. Throws
 * {@link DhtError} when it is not a state this module wrote; nodes beyond
 * {@link MAX_STATE_NODES} are left out.
 * @example
 * ```ts
 * const { nodeId, nodes } = parseDhtState(JSON.parse(await Deno.readTextFile("dht.json")));
 * ```
 */
export function parseDhtState(value: unknown): { nodeId: Uint8Array; nodes: CompactNode[] } {
  if (typeof value !== "object" || value === null) throw new DhtError("DHT state is not an object");
  const { nodeId, nodes } = value as Record<string, unknown>;
  if (!Array.isArray(nodes)) throw new DhtError("DHT state has no nodes list");
  return {
    nodeId: id(nodeId, "nodeId"),
    nodes: nodes.slice(0, MAX_STATE_NODES).map((node, i) => {
      if (typeof node !== "object" || node === null) {
        throw new DhtError(`DHT state node ${i} is not an object`);
      }
      const { host, port } = node as Record<string, unknown>;
      if (typeof host !== "string" || !parseIpv4(host)) {
        throw new DhtError(`DHT state node ${i} host is not an IPv4 address`);
      }
      if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
        throw new DhtError(`DHT state node ${i} port is not 1..65535`);
      }
      return { id: id((node as Record<string, unknown>).id, `node ${i} id`), host, port };
    }),
  };
}

/**
 * The JSON form of a node id and nodes.
 * @example
 * ```ts
 * const state = dhtState(nodeId, table.entries());
 * await Deno.writeTextFile("dht.json", JSON.stringify(state));
 * ```
 */
export function dhtState(nodeId: Uint8Array, nodes: readonly CompactNode[]): DhtState {
  return {
    nodeId: toHex(nodeId),
    nodes: nodes.slice(0, MAX_STATE_NODES).map((n) => ({
      id: toHex(n.id),
      host: n.host,
      port: n.port,
    })),
  };
}

function id(value: unknown, what: string): Uint8Array {
  if (typeof value !== "string" || !/^[0-9a-fA-F]{40}$/.test(value)) {
    throw new DhtError(`DHT state ${what} is not ${NODE_ID_LENGTH * 2} hex digits`);
  }
  return fromHex(value);
}
