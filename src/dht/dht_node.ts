/**
 * A mainline DHT node (BEP 5) on one UDP socket: answers ping, find_node, get_peers and
 * announce_peer; finds peers with iterative get_peers lookups and announces to the closest
 * nodes; bootstraps from routers or a saved state and refreshes stale buckets. IPv4 only.
 * Which nodes enter the routing table is {@link TableKeeper}'s business (table_keeper.ts).
 * @module
 */

import { lookup as dnsLookup } from "node:dns/promises";
import { parseIpv4 } from "../tracker/compact_peers.ts";
import type { PeerAddress } from "../tracker/types.ts";
import { bytesEqual, toHex } from "../util/bytes.ts";
import { answerQuery } from "./answer_query.ts";
import { DhtError } from "./dht_error.ts";
import { type DhtState, dhtState, parseDhtState } from "./dht_state.ts";
import { iterativeLookup, type LookupHit, type LookupResult } from "./iterative_lookup.ts";
import type { CompactNode } from "./krpc.ts";
import { type IncomingQuery, KrpcSocket, type UdpAddress } from "./krpc_socket.ts";
import { NODE_ID_LENGTH, randomNodeId } from "./node_id.ts";
import { PeerStore } from "./peer_store.ts";
import { distinctPeers } from "./peer_stream.ts";
import { BAD_AFTER_FAILURES, K, RoutingTable } from "./routing_table.ts";
import { TableKeeper } from "./table_keeper.ts";
import { TOKEN_ROTATE_MS, TokenIssuer } from "./tokens.ts";

export type { DhtState } from "./dht_state.ts";

/** One query's wait for its reply. */
export const QUERY_TIMEOUT_MS = 3_000;
/** A lookup that has not converged by then ends with what it found. */
export const LOOKUP_TIME_LIMIT_MS = 30_000;
/** How often buckets are checked for staleness and stored peers for expiry. */
const MAINTENANCE_INTERVAL_MS = 60_000;
/** Lookups remembered for a later announce; their tokens last at least TOKEN_ROTATE_MS. */
const MAX_ANNOUNCE_TARGETS = 256;
/** Distinct peers one lookup yields at most. */
const MAX_PEERS_PER_LOOKUP = 2000;

/** How to start a {@link DhtNode}. */
export interface DhtNodeOptions {
  /** UDP port; 0 = any free port. */
  readonly port: number;
  /** Address to bind; default 0.0.0.0. */
  readonly host?: string;
  /** Routers or known nodes to join through (host names are resolved). */
  readonly bootstrap: readonly UdpAddress[];
  /** A previous run's {@link DhtNode.state}: its id and nodes. */
  readonly state?: DhtState;
}

/** Figures for the UI. */
export interface DhtStats {
  /** Nodes in the routing table. */
  readonly nodes: number;
  /** Of those, the ones heard from in the last 15 minutes. */
  readonly goodNodes: number;
  readonly buckets: number;
  /** Torrents and peers other nodes announced to us. */
  readonly torrentsStored: number;
  readonly peersStored: number;
  readonly lookupsRunning: number;
  readonly queriesInFlight: number;
  readonly packetsSent: number;
  readonly packetsReceived: number;
  /** Malformed packets and replies to nothing. */
  readonly packetsDropped: number;
  /** The first bootstrap round is over. */
  readonly bootstrapped: boolean;
}

/**
 * A running DHT node.
 * @example
 * ```ts
 * const dht = await DhtNode.start({ port: 0, bootstrap: [{ host: "router.bittorrent.com", port: 6881 }] });
 * for await (const peer of dht.lookup(infoHash, AbortSignal.timeout(20_000))) console.log(peer);
 * await dht.announce(infoHash, 6881);
 * await Deno.writeTextFile("dht.json", JSON.stringify(dht.state()));
 * await dht.close();
 * ```
 */
export class DhtNode {
  readonly port: number;
  readonly nodeId: Uint8Array;
  #socket: KrpcSocket;
  #table: RoutingTable;
  #keeper: TableKeeper;
  #peers = new PeerStore();
  #tokens = new TokenIssuer(Date.now());
  #routers: readonly UdpAddress[];
  #announceTargets = new Map<string, { at: number; hits: readonly LookupHit[] }>();
  #closing = new AbortController();
  #tasks = new Set<Promise<unknown>>();
  #lookups = 0;
  #bootstrapped = false;
  #ready: Promise<void>;
  #timer: ReturnType<typeof setInterval>;

  private constructor(socket: KrpcSocket, nodeId: Uint8Array, routers: readonly UdpAddress[]) {
    this.#socket = socket;
    this.port = socket.port;
    this.nodeId = nodeId;
    this.#table = new RoutingTable(nodeId);
    this.#keeper = new TableKeeper({
      table: this.#table,
      query: (to, query, signal) =>
        socket.query(to, query, { timeoutMs: QUERY_TIMEOUT_MS, signal }),
      closing: this.#closing.signal,
      track: (task) => this.#track(task),
    });
    this.#routers = routers;
    this.#ready = Promise.resolve();
    this.#timer = setInterval(() => this.#maintain(), MAINTENANCE_INTERVAL_MS);
  }

  /**
   * Binds the socket and starts joining the DHT in the background; lookups wait for the first
   * bootstrap round. Rejects with {@link DhtError} for a bad saved state or an unusable port.
   */
  static async start(options: DhtNodeOptions): Promise<DhtNode> {
    const saved = options.state ? parseDhtState(options.state) : undefined;
    // Queries that arrive before the node exists go unanswered.
    const served: { node?: DhtNode } = {};
    const socket = await KrpcSocket.bind(
      options.port,
      options.host ?? "0.0.0.0",
      (message, from) => served.node && served.node.#onQuery(message, from),
    );
    const node = new DhtNode(socket, saved?.nodeId ?? randomNodeId(), options.bootstrap);
    served.node = node;
    for (const n of saved?.nodes ?? []) node.#table.add(n, 0);
    node.#ready = node.#track(node.#bootstrap());
    return node;
  }

  /**
   * Finds peers of `infoHash` with an iterative get_peers lookup, yielding each new peer as a
   * reply brings it. Ends when the lookup converges, after {@link LOOKUP_TIME_LIMIT_MS}, when
   * `signal` aborts, or when the node closes. Throws {@link DhtError} at once for an info hash
   * that is not 20 bytes.
   */
  lookup(infoHash: Uint8Array, signal?: AbortSignal): AsyncIterable<PeerAddress> {
    checkInfoHash(infoHash);
    return distinctPeers(
      (emit, stop) => this.#getPeers(infoHash, stop, emit),
      { max: MAX_PEERS_PER_LOOKUP, signal },
    );
  }

  /**
   * Announces that we serve `infoHash` on TCP `port`: announce_peer to the closest nodes that
   * gave us tokens, running a lookup first unless one ran in the last few minutes. Resolves with
   * how many nodes accepted.
   */
  async announce(infoHash: Uint8Array, port: number, signal?: AbortSignal): Promise<number> {
    checkInfoHash(infoHash);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new DhtError(`announce port ${port} is not 1..65535`);
    }
    const key = toHex(infoHash);
    const cached = this.#announceTargets.get(key);
    const hits = cached && Date.now() - cached.at < TOKEN_ROTATE_MS - 60_000
      ? cached.hits
      : (await this.#getPeers(infoHash, signal ?? this.#closing.signal, () => {})).closest;
    const accepted = await Promise.all(
      hits.filter((hit) => hit.token).map((hit) =>
        this.#keeper.ask(hit.node, {
          method: "announce_peer",
          id: this.nodeId,
          infoHash,
          port,
          token: hit.token!,
          impliedPort: false,
        }, signal).then(() => 1, () => 0)
      ),
    );
    return accepted.reduce<number>((a, b) => a + b, 0);
  }

  /** Routing table and traffic figures. */
  stats(): DhtStats {
    const counters = this.#socket.counters();
    const stored = this.#peers.size();
    return {
      nodes: this.#table.size,
      goodNodes: this.#table.goodCount(Date.now()),
      buckets: this.#table.bucketCount,
      torrentsStored: stored.torrents,
      peersStored: stored.peers,
      lookupsRunning: this.#lookups,
      queriesInFlight: counters.inFlight,
      packetsSent: counters.sent,
      packetsReceived: counters.received,
      packetsDropped: counters.dropped,
      bootstrapped: this.#bootstrapped,
    };
  }

  /** Our id and the routing table's working nodes, most recently seen first, as JSON-safe data. */
  state(): DhtState {
    const nodes = this.#table.entries()
      .filter((e) => e.failures < BAD_AFTER_FAILURES)
      .sort((a, b) => b.lastSeen - a.lastSeen);
    return dhtState(this.nodeId, nodes);
  }

  /** Ends lookups and maintenance and closes the socket. */
  async close(): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort();
    clearInterval(this.#timer);
    await this.#socket.close();
    await Promise.allSettled([...this.#tasks]);
  }

  #onQuery(message: IncomingQuery, from: UdpAddress) {
    // BEP 43 read-only nodes answer nothing, so they must not enter the table.
    if (!message.readOnly) this.#keeper.heardFrom({ ...from, id: message.query.id });
    return answerQuery(
      { table: this.#table, peers: this.#peers, tokens: this.#tokens },
      message,
      from,
      Date.now(),
    );
  }

  async #getPeers(
    infoHash: Uint8Array,
    signal: AbortSignal,
    onPeers: (peers: readonly PeerAddress[]) => void,
  ): Promise<LookupResult> {
    await abortable(this.#ready, signal);
    onPeers(this.#peers.get(infoHash, Date.now(), MAX_PEERS_PER_LOOKUP));
    const result = await this.#iterate(infoHash, "get_peers", signal, onPeers);
    if (result.converged) {
      const key = toHex(infoHash);
      this.#announceTargets.delete(key);
      if (this.#announceTargets.size >= MAX_ANNOUNCE_TARGETS) {
        this.#announceTargets.delete(this.#announceTargets.keys().next().value!);
      }
      this.#announceTargets.set(key, { at: Date.now(), hits: result.closest });
    }
    return result;
  }

  async #iterate(
    target: Uint8Array,
    method: "get_peers" | "find_node",
    signal: AbortSignal,
    onPeers?: (peers: readonly PeerAddress[]) => void,
    start: readonly CompactNode[] = [],
  ): Promise<LookupResult> {
    const limit = new AbortController();
    const timer = setTimeout(() => limit.abort(), LOOKUP_TIME_LIMIT_MS);
    this.#lookups++;
    try {
      return await iterativeLookup({
        target,
        start: [...this.#table.closest(target, K), ...start],
        query: (node, querySignal) =>
          this.#keeper.ask(
            node,
            method === "get_peers"
              ? { method, id: this.nodeId, infoHash: target }
              : { method, id: this.nodeId, target },
            querySignal,
          ),
        onPeers: onPeers && ((peers) => onPeers(peers)),
        skip: (node) => bytesEqual(node.id, this.nodeId),
        signal: AbortSignal.any([signal, limit.signal, this.#closing.signal]),
      });
    } finally {
      clearTimeout(timer);
      this.#lookups--;
    }
  }

  /** Asks routers and saved nodes for nodes near our id, then looks our id up through them. */
  async #bootstrap(): Promise<void> {
    const signal = this.#closing.signal;
    const routers = (await Promise.all(this.#routers.map((r) => resolve(r, signal))))
      .flatMap((r) => r ? [r] : []);
    const learned = await this.#keeper.join(routers);
    if (!signal.aborted) await this.#iterate(this.nodeId, "find_node", signal, undefined, learned);
    this.#bootstrapped = true;
  }

  #maintain(): void {
    const now = Date.now();
    this.#peers.prune(now);
    for (const [key, entry] of this.#announceTargets) {
      if (now - entry.at > TOKEN_ROTATE_MS) this.#announceTargets.delete(key);
    }
    if (this.#table.size === 0 && this.#bootstrapped) {
      this.#bootstrapped = false;
      this.#ready = this.#track(this.#bootstrap());
      return;
    }
    for (const target of this.#table.takeStaleTargets(now).slice(0, 3)) {
      this.#track(this.#iterate(target, "find_node", this.#closing.signal));
    }
  }

  /** Keeps a background task so close() can wait for it; its failure is not an error. */
  #track<T>(task: Promise<T>): Promise<void> {
    const settled = task.then(() => {}, () => {});
    this.#tasks.add(settled);
    settled.finally(() => this.#tasks.delete(settled));
    return settled;
  }
}

function checkInfoHash(infoHash: Uint8Array): void {
  if (infoHash.length !== NODE_ID_LENGTH) {
    throw new DhtError(`info hash is ${infoHash.length} bytes, not ${NODE_ID_LENGTH}`);
  }
}

/** An IPv4 address for a router given by name; undefined when it does not resolve. */
async function resolve(address: UdpAddress, signal: AbortSignal): Promise<UdpAddress | undefined> {
  if (parseIpv4(address.host)) return address;
  try {
    const { address: host } = await abortable(dnsLookup(address.host, { family: 4 }), signal);
    return { host, port: address.port };
  } catch {
    return undefined;
  }
}

/** Resolves with `promise`, or rejects with {@link DhtError} as soon as `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new DhtError("aborted"));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new DhtError("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
