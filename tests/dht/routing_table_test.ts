/**
 * Routing table: at most K nodes a bucket, the bucket holding our own id splits, full buckets
 * offer their questionable node for replacement, bad nodes are replaced and never handed out.
 */
import assert from "node:assert/strict";
import {
  commonPrefixBits,
  compareDistance,
  randomIdAtPrefix,
  randomNodeId,
} from "../../src/dht/node_id.ts";
import {
  BAD_AFTER_FAILURES,
  K,
  QUESTIONABLE_AFTER_MS,
  RoutingTable,
} from "../../src/dht/routing_table.ts";

const NOW = 1_000_000_000;
let nextPort = 1;
const node = (id: Uint8Array) => ({ id, host: "10.0.0.1", port: nextPort++ });

Deno.test("a far bucket holds K nodes and then is full", () => {
  const own = randomNodeId();
  const table = new RoutingTable(own);
  // Prefix 0 (first bit differs): never the bucket of our own id once the table has split.
  for (let i = 0; i < K; i++) {
    assert.equal(table.add(node(randomIdAtPrefix(own, 0)), NOW).kind, "added");
  }
  // Adding to the last bucket splits it until prefix-0 nodes sit in a bucket of their own.
  for (let i = 0; i < K; i++) table.add(node(randomIdAtPrefix(own, 5)), NOW);
  assert.ok(table.bucketCount >= 2);
  const result = table.add(node(randomIdAtPrefix(own, 0)), NOW);
  assert.deepEqual(result, { kind: "full", questionable: undefined });
  assert.equal(table.size, 2 * K);
});

Deno.test("the bucket of our own id splits, so near nodes all fit", () => {
  const own = randomNodeId();
  const table = new RoutingTable(own);
  for (let bits = 0; bits < 40; bits++) {
    for (let i = 0; i < 3; i++) table.add(node(randomIdAtPrefix(own, bits)), NOW);
  }
  assert.equal(table.size, 120);
  assert.ok(table.bucketCount >= 38, `${table.bucketCount} buckets`);
  for (const e of table.entries()) assert.ok(commonPrefixBits(own, e.id) < 40);
});

Deno.test("closest returns the nearest non-bad nodes, nearest first", () => {
  const own = randomNodeId();
  const table = new RoutingTable(own);
  const ids = Array.from({ length: 200 }, () => randomNodeId());
  for (const id of ids) table.add(node(id), NOW);
  const target = randomNodeId();
  const closest = table.closest(target, K);
  assert.equal(closest.length, K);
  const held = table.entries().map((e) => e.id).sort((a, b) => compareDistance(target, a, b));
  assert.deepEqual(closest.map((e) => e.id), held.slice(0, K));
  for (let i = 0; i < BAD_AFTER_FAILURES; i++) table.failed(closest[0].id);
  assert.ok(!table.closest(target, K).some((e) => e.id === closest[0].id));
});

Deno.test("a full bucket offers its least recently seen questionable node", () => {
  const own = randomNodeId();
  const table = new RoutingTable(own);
  for (let i = 0; i < K; i++) table.add(node(randomIdAtPrefix(own, 0)), NOW + i);
  for (let i = 0; i < K; i++) table.add(node(randomIdAtPrefix(own, 3)), NOW);
  const later = NOW + QUESTIONABLE_AFTER_MS + 1;
  const newcomer = node(randomIdAtPrefix(own, 0));
  const result = table.add(newcomer, later);
  assert.equal(result.kind, "full");
  const oldest = table.entries().find((e) =>
    e.lastSeen === NOW && commonPrefixBits(own, e.id) === 0
  );
  assert.deepEqual(result.kind === "full" && result.questionable?.id, oldest!.id);
  assert.equal(table.replace(oldest!.id, newcomer, later).kind, "added");
  assert.ok(table.has(newcomer.id) && !table.has(oldest!.id));
});

Deno.test("a bad node is replaced by a newcomer at once", () => {
  const own = randomNodeId();
  const table = new RoutingTable(own);
  const far = Array.from({ length: K }, () => node(randomIdAtPrefix(own, 0)));
  for (const n of far) table.add(n, NOW);
  for (let i = 0; i < K; i++) table.add(node(randomIdAtPrefix(own, 2)), NOW);
  for (let i = 0; i < BAD_AFTER_FAILURES; i++) table.failed(far[3].id);
  const newcomer = node(randomIdAtPrefix(own, 0));
  assert.equal(table.add(newcomer, NOW).kind, "added");
  assert.ok(table.has(newcomer.id) && !table.has(far[3].id));
});

Deno.test("known ids are refreshed; a new id at a known address replaces the old", () => {
  const own = randomNodeId();
  const table = new RoutingTable(own);
  const a = node(randomNodeId());
  table.add(a, NOW);
  table.failed(a.id);
  assert.equal(table.add(a, NOW + 5).kind, "updated");
  assert.deepEqual(table.entries()[0], { ...a, lastSeen: NOW + 5, failures: 0 });
  // Same id from elsewhere: ignored while the known address works.
  assert.equal(table.add({ ...a, port: 9 }, NOW).kind, "ignored");
  const restarted = { ...a, id: randomNodeId() };
  assert.equal(table.add(restarted, NOW).kind, "added");
  assert.equal(table.size, 1);
  assert.ok(table.has(restarted.id));
  assert.equal(table.add({ ...a, id: own }, NOW).kind, "ignored");
});

Deno.test("stale buckets yield one refresh target each, then count as fresh", () => {
  const own = randomNodeId();
  const table = new RoutingTable(own);
  for (let i = 0; i < 3 * K; i++) table.add(node(randomNodeId()), NOW);
  assert.deepEqual(table.takeStaleTargets(NOW + 1000), []);
  const later = NOW + QUESTIONABLE_AFTER_MS;
  const targets = table.takeStaleTargets(later);
  assert.equal(targets.length, table.bucketCount);
  targets.forEach((t, i) => {
    const bits = commonPrefixBits(own, t);
    assert.ok(i === targets.length - 1 ? bits >= i : bits === i, `target ${i} has prefix ${bits}`);
  });
  assert.deepEqual(table.takeStaleTargets(later + 1), []);
});
