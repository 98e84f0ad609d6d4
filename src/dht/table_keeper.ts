/**
 * Who gets into the routing table: the BEP 5 membership rules around every exchange a node has.
 * A node that answered our query is added; one that stayed silent counts a failure; a stranger
 * that queried us is pinged before its address is trusted; a newcomer meeting a full bucket
 * first tests the bucket's questionable node and takes its place only if it is dead; and the
 * join asks routers and saved nodes for nodes near our id.
 *
 * It is apart from `DhtNode` because these rules decide the table's health on their own and
 * need only a way to send one query, so they are unit-tested on a fake network, without
 * sockets, while `DhtNode` keeps the lookups, the timers and the socket.
 * @module
 */

import { bytesEqual } from "../util/bytes.ts";
import { MAX_STATE_NODES } from "./dht_state.ts";
import type { CompactNode, KrpcQuery, KrpcResponse } from "./krpc.ts";
import type { UdpAddress } from "./krpc_socket.ts";
import type { RoutingTable } from "./routing_table.ts";

/**
 * Pings to new nodes (and to questionable ones they would replace) at once; extras are skipped
 * rather than queued, so a flood of queries from strangers cannot make us flood pings.
 * @example
 * ```ts
 * console.log(`at most ${MAX_VERIFICATIONS} verification pings in flight`);
 * ```
 */
export const MAX_VERIFICATIONS = 16;

/**
 * Saved nodes and routers asked at bootstrap.
 * @example
 * ```ts
 * console.log(`a join asks at most ${MAX_BOOTSTRAP_CONTACTS} contacts`);
 * ```
 */
export const MAX_BOOTSTRAP_CONTACTS = 48;

/**
 * What a {@link TableKeeper} works with.
 * @example
 * ```ts
 * const options: TableKeeperOptions = {
 *   table,
 *   query: (to, query, signal) => socket.query(to, query, { timeoutMs: 3_000, signal }),
 *   closing: closing.signal,
 *   track: (task) => tasks.add(task),
 * };
 * ```
 */
export interface TableKeeperOptions {
  /** The table kept; its `ownId` is the id we send. */
  readonly table: RoutingTable;
  /** Sends one query with the node's timeout; rejects on an error reply, timeout or abort. */
  readonly query: (to: UdpAddress, query: KrpcQuery, signal: AbortSignal) => Promise<KrpcResponse>;
  /** Aborts when the node closes; queries cut short by it say nothing about the nodes asked. */
  readonly closing: AbortSignal;
  /** Takes a background ping so the node's close can wait for it; its failure is not an error. */
  readonly track: (task: Promise<void>) => void;
}

/**
 * Keeps a routing table to nodes that answered us.
 * @example
 * ```ts
 * const keeper = new TableKeeper({ table, query, closing: closing.signal, track });
 * const learned = await keeper.join([{ host: "67.215.246.10", port: 6881 }]);
 * keeper.heardFrom({ id, host: "192.0.2.7", port: 6881 }); // a query came from it
 * const reply = await keeper.ask(node, { method: "ping", id: table.ownId });
 * ```
 */
export class TableKeeper {
  #table: RoutingTable;
  #query: TableKeeperOptions["query"];
  #closing: AbortSignal;
  #track: TableKeeperOptions["track"];
  /** Addresses being pinged, so one node is not pinged twice at once. */
  #verifying = new Set<string>();

  constructor(options: TableKeeperOptions) {
    this.#table = options.table;
    this.#query = options.query;
    this.#closing = options.closing;
    this.#track = options.track;
  }

  /**
   * A query came from `node`: refresh it if known, else ping it in the background and add it
   * once it answers. Anyone can write any id and source port in a UDP packet, so a stranger's
   * query alone does not get it into the table.
   * @example
   * ```ts
   * keeper.heardFrom({ id: message.query.id, host: from.host, port: from.port });
   * ```
   */
  heardFrom(node: CompactNode): void {
    if (this.#table.has(node.id)) {
      this.#table.add(node, Date.now());
      return;
    }
    this.#verifyAddress(node, node.id, { alive: () => this.#admit(node), dead: () => {} });
  }

  /**
   * One query to a known node; its answer adds or refreshes it, its silence counts a failure.
   * Only `signal` and the node's closing end it early, and such an end is not the node's fault.
   * @example
   * ```ts
   * const response = await keeper.ask(node, { method: "get_peers", id, infoHash }, signal);
   * ```
   */
  async ask(node: CompactNode, query: KrpcQuery, signal?: AbortSignal): Promise<KrpcResponse> {
    try {
      const response = await this.#query(
        node,
        query,
        signal ? AbortSignal.any([signal, this.#closing]) : this.#closing,
      );
      this.#admit({ id: response.id, host: node.host, port: node.port });
      return response;
    } catch (error) {
      if (!this.#closing.aborted && !signal?.aborted) this.#table.failed(node.id);
      throw error;
    }
  }

  /**
   * Asks `routers` and the saved nodes closest to our id (at most
   * {@link MAX_BOOTSTRAP_CONTACTS} in all) for nodes near our id. Those that answer are added,
   * saved nodes that do not count a failure, and the nodes their replies name are returned to
   * start a lookup of our own id. Routers come first: a stale saved state must not crowd out
   * the one contact sure to exist.
   * @example
   * ```ts
   * const learned = await keeper.join([{ host: "67.215.246.10", port: 6881 }]);
   * ```
   */
  async join(routers: readonly UdpAddress[]): Promise<CompactNode[]> {
    const ownId = this.#table.ownId;
    const contacts: UdpAddress[] = [
      ...routers,
      ...this.#table.closest(ownId, MAX_STATE_NODES),
    ].slice(0, MAX_BOOTSTRAP_CONTACTS);
    const learned: CompactNode[] = [];
    await Promise.all(contacts.map(async (contact) => {
      try {
        const response = await this.#query(
          contact,
          { method: "find_node", id: ownId, target: ownId },
          this.#closing,
        );
        this.#admit({ id: response.id, host: contact.host, port: contact.port });
        learned.push(...(response.nodes ?? []));
      } catch {
        // A router is not in the table, so only a saved node's silence is recorded.
        const saved = this.#table.entries().find((e) =>
          e.host === contact.host && e.port === contact.port
        );
        if (saved && !this.#closing.aborted) this.#table.failed(saved.id);
      }
    }));
    return learned;
  }

  /** `node` answered us, so it is real: add it, or test the questionable node it would replace. */
  #admit(node: CompactNode): void {
    if (bytesEqual(node.id, this.#table.ownId)) return;
    const result = this.#table.add(node, Date.now());
    if (result.kind !== "full" || !result.questionable) return;
    const old = result.questionable;
    this.#verifyAddress(old, old.id, {
      alive: () => this.#table.add(old, Date.now()),
      dead: () => this.#table.replace(old.id, node, Date.now()),
    });
  }

  /** Pings `to`, expecting `id`; at most {@link MAX_VERIFICATIONS} at once, extras are skipped. */
  #verifyAddress(to: UdpAddress, id: Uint8Array, then: { alive(): void; dead(): void }): void {
    const key = `${to.host}:${to.port}`;
    if (this.#verifying.has(key) || this.#verifying.size >= MAX_VERIFICATIONS) return;
    this.#verifying.add(key);
    const ping = this.#query(to, { method: "ping", id: this.#table.ownId }, this.#closing);
    this.#track(
      ping.then(
        // A different id at that address is another node: the one we know is gone.
        (pong) => (bytesEqual(pong.id, id) ? then.alive() : then.dead()),
        () => {
          if (!this.#closing.aborted) then.dead();
        },
      ).finally(() => this.#verifying.delete(key)),
    );
  }
}
