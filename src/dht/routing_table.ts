/**
 * The Kademlia routing table of BEP 5: k-buckets of at most {@link K} nodes, split as they fill
 * so the table knows many nodes near its own id and few far away. Pure: time comes in as `now`.
 * @module
 */

import { bytesEqual } from "../util/bytes.ts";
import type { CompactNode } from "./krpc.ts";
import { commonPrefixBits, compareDistance, NODE_ID_BITS, randomIdAtPrefix } from "./node_id.ts";

/** Nodes per bucket (BEP 5). */
export const K = 8;
/** A node not heard from in this long is questionable, and a bucket untouched this long is stale. */
export const QUESTIONABLE_AFTER_MS = 15 * 60_000;
/** Failed queries in a row after which a node is bad: replaceable and no longer handed out. */
export const BAD_AFTER_FAILURES = 2;

/** A node the table holds. */
export interface RoutingEntry extends CompactNode {
  /** When it last answered us or queried us (ms since epoch); 0 = never (loaded from state). */
  readonly lastSeen: number;
  /** Queries in a row it failed to answer. */
  readonly failures: number;
}

/**
 * What {@link RoutingTable.add} did. `full` comes with the bucket's least recently seen
 * questionable node, if any: ping it, and on failure {@link RoutingTable.replace} it.
 */
export type AddResult =
  | { readonly kind: "added" | "updated" | "ignored" }
  | { readonly kind: "full"; readonly questionable?: RoutingEntry };

interface Bucket {
  entries: RoutingEntry[];
  /** When a node in it last answered or was added. */
  changed: number;
}

/**
 * A routing table around `ownId`. `buckets[i]` holds the nodes sharing exactly `i` leading bits
 * with `ownId`, except the last, which holds every node sharing at least that many; only the
 * last splits, which is the BEP 5 rule that only the bucket covering our own id splits.
 * @example
 * ```ts
 * const table = new RoutingTable(randomNodeId());
 * table.add({ id: randomNodeId(), host: "127.0.0.1", port: 6881 }, Date.now());
 * table.closest(infoHash, 8);
 * ```
 */
export class RoutingTable {
  readonly ownId: Uint8Array;
  #buckets: Bucket[] = [{ entries: [], changed: 0 }];

  constructor(ownId: Uint8Array) {
    this.ownId = ownId;
  }

  /** Nodes held, bad ones included. */
  get size(): number {
    return this.#buckets.reduce((n, b) => n + b.entries.length, 0);
  }

  /** Buckets so far (1 to 160). */
  get bucketCount(): number {
    return this.#buckets.length;
  }

  /**
   * Records that `node` is alive as of `now` (`now` = 0 adds it as never seen, for nodes loaded
   * from saved state). A known id is refreshed; a known address with a new id replaces the old
   * entry (the node restarted); a full bucket takes no one.
   */
  add(node: CompactNode, now: number): AddResult {
    if (commonPrefixBits(this.ownId, node.id) === NODE_ID_BITS) return { kind: "ignored" };
    const existing = this.#find(node.id);
    if (existing) {
      const { bucket, index } = existing;
      const old = bucket.entries[index];
      // Same id, new address: keep the one we know answers unless it stopped answering.
      if ((old.host !== node.host || old.port !== node.port) && old.failures < BAD_AFTER_FAILURES) {
        return { kind: "ignored" };
      }
      bucket.entries[index] = entry(node, Math.max(now, old.lastSeen));
      if (now > 0) bucket.changed = Math.max(bucket.changed, now);
      return { kind: "updated" };
    }
    this.#removeAddress(node.host, node.port);
    for (;;) {
      const index = this.#bucketIndex(node.id);
      const bucket = this.#buckets[index];
      if (bucket.entries.length < K) {
        bucket.entries.push(entry(node, now));
        if (now > 0) bucket.changed = Math.max(bucket.changed, now);
        return { kind: "added" };
      }
      if (index === this.#buckets.length - 1 && this.#buckets.length < NODE_ID_BITS) {
        this.#split();
        continue;
      }
      const bad = bucket.entries.findIndex((e) => e.failures >= BAD_AFTER_FAILURES);
      if (bad >= 0) {
        bucket.entries[bad] = entry(node, now);
        if (now > 0) bucket.changed = Math.max(bucket.changed, now);
        return { kind: "added" };
      }
      const questionable = bucket.entries
        .filter((e) => now - e.lastSeen >= QUESTIONABLE_AFTER_MS)
        .sort((a, b) => a.lastSeen - b.lastSeen)[0];
      return { kind: "full", questionable };
    }
  }

  /** Puts `node` in the place of `oldId` (a questionable node that failed its ping). */
  replace(oldId: Uint8Array, node: CompactNode, now: number): AddResult {
    this.remove(oldId);
    return this.add(node, now);
  }

  /** Forgets a node. */
  remove(id: Uint8Array): void {
    const found = this.#find(id);
    if (found) found.bucket.entries.splice(found.index, 1);
  }

  /** Counts a query `id` did not answer. */
  failed(id: Uint8Array): void {
    const found = this.#find(id);
    if (!found) return;
    const old = found.bucket.entries[found.index];
    found.bucket.entries[found.index] = { ...old, failures: old.failures + 1 };
  }

  /** True when the table holds `id`. */
  has(id: Uint8Array): boolean {
    return this.#find(id) !== undefined;
  }

  /** The `count` nodes closest to `target` that are not bad, closest first. */
  closest(target: Uint8Array, count: number): RoutingEntry[] {
    return this.entries()
      .filter((e) => e.failures < BAD_AFTER_FAILURES)
      .sort((a, b) => compareDistance(target, a.id, b.id))
      .slice(0, count);
  }

  /** Every node held, bad ones included. */
  entries(): RoutingEntry[] {
    return this.#buckets.flatMap((b) => b.entries);
  }

  /** Nodes that answered within {@link QUESTIONABLE_AFTER_MS} and have not failed since. */
  goodCount(now: number): number {
    return this.entries().filter((e) =>
      e.failures === 0 && now - e.lastSeen < QUESTIONABLE_AFTER_MS
    )
      .length;
  }

  /**
   * One random target in each bucket that nothing touched for {@link QUESTIONABLE_AFTER_MS}: a
   * find_node for it refreshes the bucket (BEP 5). Marks those buckets as refreshed now.
   */
  takeStaleTargets(now: number): Uint8Array[] {
    const targets: Uint8Array[] = [];
    this.#buckets.forEach((bucket, i) => {
      if (now - bucket.changed < QUESTIONABLE_AFTER_MS) return;
      bucket.changed = now;
      targets.push(randomIdAtPrefix(this.ownId, i));
    });
    return targets;
  }

  #bucketIndex(id: Uint8Array): number {
    return Math.min(commonPrefixBits(this.ownId, id), this.#buckets.length - 1);
  }

  #find(id: Uint8Array): { bucket: Bucket; index: number } | undefined {
    const bucket = this.#buckets[this.#bucketIndex(id)];
    const index = bucket.entries.findIndex((e) => bytesEqual(e.id, id));
    return index < 0 ? undefined : { bucket, index };
  }

  #removeAddress(host: string, port: number): void {
    for (const bucket of this.#buckets) {
      const index = bucket.entries.findIndex((e) => e.host === host && e.port === port);
      if (index >= 0) {
        bucket.entries.splice(index, 1);
        return;
      }
    }
  }

  #split(): void {
    const last = this.#buckets[this.#buckets.length - 1];
    const depth = this.#buckets.length - 1;
    const deeper: Bucket = { entries: [], changed: last.changed };
    last.entries = last.entries.filter((e) => {
      if (commonPrefixBits(this.ownId, e.id) === depth) return true;
      deeper.entries.push(e);
      return false;
    });
    this.#buckets.push(deeper);
  }
}

function entry(node: CompactNode, now: number): RoutingEntry {
  return { id: node.id, host: node.host, port: node.port, lastSeen: now, failures: 0 };
}
