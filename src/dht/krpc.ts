/**
 * KRPC, the DHT's message format (BEP 5): one bencoded dict per UDP packet, a query (`y: q`), a
 * response (`y: r`) or an error (`y: e`), tied together by the transaction id `t`. Pure: no I/O.
 * Decoding checks every field it uses, so a hostile packet is a {@link DhtError}, never a crash.
 * @module
 */

import type { BencodeDict, BencodeValue } from "../bencode/bencode_value.ts";
import { dictGet, isBencodeDict } from "../bencode/bencode_value.ts";
import { decodeBencode } from "../bencode/decode_bencode.ts";
import { type BencodeInput, encodeBencode } from "../bencode/encode_bencode.ts";
import { decodeCompactPeers, encodeCompactPeers, parseIpv4 } from "../tracker/compact_peers.ts";
import { trackerText } from "../tracker/tracker_error.ts";
import type { PeerAddress } from "../tracker/types.ts";
import { DhtError } from "./dht_error.ts";
import { NODE_ID_LENGTH } from "./node_id.ts";

/**
 * Largest packet decoded. A full get_peers reply (100 peers or 8 nodes, a token, ids) fits in
 * about 1 KiB; anything much bigger is not a DHT message worth parsing.
 */
export const MAX_KRPC_PACKET = 4096;
/** Longest transaction id accepted; clients use 2 to 4 bytes. */
const MAX_TRANSACTION_ID = 16;
/** Longest token accepted from a remote node; libtorrent's are 4 bytes, ours 8. */
const MAX_TOKEN = 64;
/** Bytes of one compact IPv4 node entry: id, address, port. */
const COMPACT_NODE_LENGTH = NODE_ID_LENGTH + 6;

/** BEP 5 error codes. */
export const KrpcErrorCode = {
  generic: 201,
  server: 202,
  protocol: 203,
  methodUnknown: 204,
} as const;

/** A DHT node: its id and where it listens (IPv4). */
export interface CompactNode {
  readonly id: Uint8Array;
  readonly host: string;
  readonly port: number;
}

/** The four BEP 5 queries, plus any other method name (answered with error 204). */
export type KrpcQuery =
  | { readonly method: "ping"; readonly id: Uint8Array }
  | { readonly method: "find_node"; readonly id: Uint8Array; readonly target: Uint8Array }
  | { readonly method: "get_peers"; readonly id: Uint8Array; readonly infoHash: Uint8Array }
  | {
    readonly method: "announce_peer";
    readonly id: Uint8Array;
    readonly infoHash: Uint8Array;
    /** Ignored by the receiver when `impliedPort` is set: it takes the UDP source port. */
    readonly port: number;
    readonly token: Uint8Array;
    readonly impliedPort: boolean;
  }
  | { readonly method: "unknown"; readonly id: Uint8Array; readonly name: string };

/** The fields of a response that any of the four queries may carry. */
export interface KrpcResponse {
  readonly id: Uint8Array;
  /** find_node and get_peers: the closest nodes the responder knows. */
  readonly nodes?: readonly CompactNode[];
  /** get_peers: peers of the torrent (IPv4). */
  readonly values?: readonly PeerAddress[];
  /** get_peers: what announce_peer must send back to this node. */
  readonly token?: Uint8Array;
}

/** One KRPC message. */
export type KrpcMessage =
  | {
    readonly kind: "query";
    readonly t: Uint8Array;
    readonly query: KrpcQuery;
    /** BEP 43: the sender answers no queries, so it must not enter a routing table. */
    readonly readOnly?: boolean;
  }
  | { readonly kind: "response"; readonly t: Uint8Array; readonly response: KrpcResponse }
  | {
    readonly kind: "error";
    readonly t: Uint8Array;
    readonly code: number;
    readonly message: string;
  };

/**
 * Encodes a KRPC message. Throws {@link DhtError} for values no KRPC message can hold (ids that
 * are not 20 bytes, ports outside 1..65535, hosts that are not IPv4 addresses).
 * @example
 * ```ts
 * const packet = encodeKrpc({
 *   kind: "query",
 *   t: new Uint8Array([0, 1]),
 *   query: { method: "ping", id: randomNodeId() },
 * });
 * ```
 */
export function encodeKrpc(message: KrpcMessage): Uint8Array {
  if (message.kind === "query") {
    return encodeBencode({
      t: message.t,
      y: "q",
      q: message.query.method,
      a: queryArgs(message.query),
      ro: message.readOnly ? 1 : undefined,
    });
  }
  if (message.kind === "response") {
    const r = message.response;
    checkId(r.id, "id");
    return encodeBencode({
      t: message.t,
      y: "r",
      r: {
        id: r.id,
        nodes: r.nodes ? encodeCompactNodes(r.nodes) : undefined,
        values: r.values?.map((peer) => encodeCompactPeers([checkPeer(peer)], 4)),
        token: r.token,
      },
    });
  }
  return encodeBencode({ t: message.t, y: "e", e: [message.code, message.message] });
}

function queryArgs(query: KrpcQuery): Record<string, BencodeInput> {
  checkId(query.id, "id");
  switch (query.method) {
    case "ping":
      return { id: query.id };
    case "find_node":
      checkId(query.target, "target");
      return { id: query.id, target: query.target };
    case "get_peers":
      checkId(query.infoHash, "info_hash");
      return { id: query.id, info_hash: query.infoHash };
    case "announce_peer":
      checkId(query.infoHash, "info_hash");
      if (!query.impliedPort) checkPort(query.port);
      return {
        id: query.id,
        info_hash: query.infoHash,
        port: query.port,
        token: query.token,
        implied_port: query.impliedPort ? 1 : 0,
      };
    default:
      throw new DhtError(`cannot encode a ${query.method} query`);
  }
}

/**
 * Decodes one UDP packet. Anything that is not a well-formed KRPC message with the fields its
 * kind needs throws {@link DhtError}: the caller drops the packet. Unknown keys are ignored, as
 * BEP 5 asks, so newer clients' extras (`v`, `ip`, `want`, `nodes6`) do not break us.
 * @example
 * ```ts
 * const message = decodeKrpc(packet);
 * if (message.kind === "query" && message.query.method === "ping") reply(message.t);
 * ```
 */
export function decodeKrpc(packet: Uint8Array): KrpcMessage {
  if (packet.length > MAX_KRPC_PACKET) {
    throw new DhtError(`KRPC packet of ${packet.length} bytes is over ${MAX_KRPC_PACKET}`);
  }
  let value: BencodeValue;
  try {
    value = decodeBencode(packet, { maxDepth: 8 });
  } catch (error) {
    throw new DhtError(`KRPC packet is not bencode: ${(error as Error).message}`);
  }
  if (!isBencodeDict(value)) throw new DhtError("KRPC packet is not a dict");
  const t = bytesField(value, "t", "message");
  if (t.length === 0 || t.length > MAX_TRANSACTION_ID) {
    throw new DhtError(`KRPC transaction id of ${t.length} bytes`);
  }
  const y = text(bytesField(value, "y", "message"));
  if (y === "q") return decodeQuery(value, t);
  if (y === "r") return { kind: "response", t, response: decodeResponse(dictField(value, "r")) };
  if (y === "e") return decodeError(value, t);
  throw new DhtError(`KRPC message type ${JSON.stringify(y.slice(0, 8))} is not q, r or e`);
}

function decodeQuery(message: BencodeDict, t: Uint8Array): KrpcMessage {
  const name = text(bytesField(message, "q", "query"));
  const a = dictField(message, "a");
  const id = idField(a, "id");
  const readOnly = dictGet(message, "ro") === 1;
  const query = ((): KrpcQuery => {
    switch (name) {
      case "ping":
        return { method: "ping", id };
      case "find_node":
        return { method: "find_node", id, target: idField(a, "target") };
      case "get_peers":
        return { method: "get_peers", id, infoHash: idField(a, "info_hash") };
      case "announce_peer": {
        const impliedPort = dictGet(a, "implied_port") === 1;
        const port = dictGet(a, "port");
        if (!impliedPort && (typeof port !== "number" || port < 1 || port > 65535)) {
          throw new DhtError("announce_peer port is not 1..65535");
        }
        const token = bytesField(a, "token", "announce_peer");
        if (token.length === 0 || token.length > MAX_TOKEN) {
          throw new DhtError(`announce_peer token of ${token.length} bytes`);
        }
        return {
          method: "announce_peer",
          id,
          infoHash: idField(a, "info_hash"),
          port: typeof port === "number" ? port : 0,
          token,
          impliedPort,
        };
      }
      default:
        return { method: "unknown", id, name: trackerText(new TextEncoder().encode(name), 40) };
    }
  })();
  return { kind: "query", t, query, readOnly };
}

function decodeResponse(r: BencodeDict): KrpcResponse {
  const id = idField(r, "id");
  const nodesValue = dictGet(r, "nodes");
  const values = dictGet(r, "values");
  const token = dictGet(r, "token");
  if (nodesValue !== undefined && !(nodesValue instanceof Uint8Array)) {
    throw new DhtError("KRPC response nodes is not a byte string");
  }
  if (values !== undefined && !Array.isArray(values)) {
    throw new DhtError("KRPC response values is not a list");
  }
  if (token !== undefined && (!(token instanceof Uint8Array) || token.length > MAX_TOKEN)) {
    throw new DhtError("KRPC response token is not a short byte string");
  }
  return {
    id,
    nodes: nodesValue === undefined ? undefined : decodeCompactNodes(nodesValue),
    values: values === undefined ? undefined : decodeValues(values as readonly BencodeValue[]),
    token,
  };
}

/** Peers in a get_peers reply: 6-byte IPv4 entries; IPv6 ones (BEP 32) and port 0 are skipped. */
function decodeValues(values: readonly BencodeValue[]): PeerAddress[] {
  const peers: PeerAddress[] = [];
  for (const value of values) {
    if (!(value instanceof Uint8Array)) throw new DhtError("KRPC response value is not bytes");
    if (value.length !== 6) continue;
    const [peer] = decodeCompactPeers(value, 4);
    if (peer.port !== 0) peers.push(peer);
  }
  return peers;
}

function decodeError(message: BencodeDict, t: Uint8Array): KrpcMessage {
  const e = dictGet(message, "e");
  if (!Array.isArray(e)) throw new DhtError("KRPC error has no e list");
  const [code, text] = e as readonly BencodeValue[];
  return {
    kind: "error",
    t,
    code: typeof code === "number" ? code : 0,
    message: text instanceof Uint8Array ? trackerText(text, 200) : "",
  };
}

/**
 * Decodes a compact node list (26 bytes a node). A trailing partial entry and entries with port
 * 0 are skipped: the whole entries are still good.
 * @example
 * ```ts
 * decodeCompactNodes(encodeCompactNodes([{ id, host: "127.0.0.1", port: 6881 }]));
 * ```
 */
export function decodeCompactNodes(bytes: Uint8Array): CompactNode[] {
  const nodes: CompactNode[] = [];
  for (let at = 0; at + COMPACT_NODE_LENGTH <= bytes.length; at += COMPACT_NODE_LENGTH) {
    const [peer] = decodeCompactPeers(
      bytes.subarray(at + NODE_ID_LENGTH, at + COMPACT_NODE_LENGTH),
      4,
    );
    if (peer.port === 0) continue;
    nodes.push({ id: bytes.slice(at, at + NODE_ID_LENGTH), host: peer.host, port: peer.port });
  }
  return nodes;
}

/**
 * Encodes nodes in the compact form of find_node and get_peers replies. Throws
 * {@link DhtError} for a node that has no compact form.
 * @example
 * ```ts
 * encodeCompactNodes([{ id: randomNodeId(), host: "127.0.0.1", port: 6881 }]).length; // 26
 * ```
 */
export function encodeCompactNodes(nodes: readonly CompactNode[]): Uint8Array {
  const out = new Uint8Array(nodes.length * COMPACT_NODE_LENGTH);
  nodes.forEach((node, i) => {
    checkId(node.id, "node id");
    out.set(node.id, i * COMPACT_NODE_LENGTH);
    out.set(encodeCompactPeers([checkPeer(node)], 4), i * COMPACT_NODE_LENGTH + NODE_ID_LENGTH);
  });
  return out;
}

function checkId(id: Uint8Array, what: string): void {
  if (id.length !== NODE_ID_LENGTH) throw new DhtError(`${what} is ${id.length} bytes, not 20`);
}

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DhtError(`port ${port} is not 1..65535`);
  }
}

function checkPeer<T extends PeerAddress>(peer: T): T {
  checkPort(peer.port);
  if (!parseIpv4(peer.host)) throw new DhtError(`${peer.host} is not an IPv4 address`);
  return peer;
}

function bytesField(dict: BencodeDict, key: string, where: string): Uint8Array {
  const value = dictGet(dict, key);
  if (!(value instanceof Uint8Array)) throw new DhtError(`KRPC ${where} has no ${key} string`);
  return value;
}

function idField(dict: BencodeDict, key: string): Uint8Array {
  const value = dictGet(dict, key);
  if (!(value instanceof Uint8Array) || value.length !== NODE_ID_LENGTH) {
    throw new DhtError(`KRPC ${key} is not a 20-byte string`);
  }
  return value;
}

function dictField(dict: BencodeDict, key: string): BencodeDict {
  const value = dictGet(dict, key);
  if (!isBencodeDict(value)) throw new DhtError(`KRPC message has no ${key} dict`);
  return value;
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
