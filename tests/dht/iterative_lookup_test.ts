/**
 * The iterative lookup on a simulated network of 300 nodes (no sockets): it converges on the
 * true K closest nodes, keeps at most alpha queries in flight, survives dead nodes, collects
 * tokens and peers, and stops when aborted.
 */
import assert from "node:assert/strict";
import { ALPHA, iterativeLookup } from "../../src/dht/iterative_lookup.ts";
import type { CompactNode, KrpcResponse } from "../../src/dht/krpc.ts";
import { compareDistance } from "../../src/dht/node_id.ts";
import { K } from "../../src/dht/routing_table.ts";
import type { PeerAddress } from "../../src/tracker/types.ts";
import { seededRandom } from "../support/fuzz.ts";

interface Network {
  nodes: CompactNode[];
  dead: Set<CompactNode>;
  peersAt: Map<CompactNode, PeerAddress[]>;
}

function network(size: number, seed: number): Network {
  const random = seededRandom(seed);
  const nodes = Array.from({ length: size }, (_, i) => ({
    id: random.bytes(20),
    host: "10.0.0.1",
    port: 1000 + i,
  }));
  return { nodes, dead: new Set(), peersAt: new Map() };
}

/** Each node knows the 8 closest to any target among a random third of the network. */
function simulate(net: Network, log: { inFlight: number; max: number; asked: CompactNode[] }) {
  const random = seededRandom(99);
  const views = new Map(net.nodes.map((n) => [n, net.nodes.filter(() => random.next() < 0.33)]));
  return async (
    node: CompactNode,
    signal: AbortSignal,
    target: Uint8Array,
  ): Promise<KrpcResponse> => {
    log.asked.push(node);
    log.inFlight++;
    log.max = Math.max(log.max, log.inFlight);
    try {
      await new Promise((r) => setTimeout(r, 1));
      if (signal.aborted || net.dead.has(node)) throw new Error("timed out");
      const nodes = [...views.get(node)!].sort((a, b) => compareDistance(target, a.id, b.id)).slice(
        0,
        K,
      );
      return {
        id: node.id,
        nodes,
        token: new Uint8Array([node.port & 0xff]),
        values: net.peersAt.get(node),
      };
    } finally {
      log.inFlight--;
    }
  };
}

const trueClosest = (net: Network, target: Uint8Array) =>
  net.nodes.filter((n) => !net.dead.has(n)).sort((a, b) => compareDistance(target, a.id, b.id))
    .slice(0, K);

Deno.test("converges on the K closest nodes with at most alpha queries in flight", async () => {
  const net = network(300, 1);
  const target = seededRandom(5).bytes(20);
  const log = { inFlight: 0, max: 0, asked: [] as CompactNode[] };
  const query = simulate(net, log);
  const result = await iterativeLookup({
    target,
    start: net.nodes.slice(0, 3),
    query: (node, signal) => query(node, signal, target),
  });
  assert.ok(result.converged);
  assert.deepEqual(result.closest.map((h) => h.node), trueClosest(net, target));
  assert.ok(result.closest.every((h) => h.token?.length === 1), "every hit carries its token");
  assert.equal(log.max, ALPHA);
  assert.ok(result.queried < 100, `asked ${result.queried} of 300 nodes`);
  assert.equal(new Set(log.asked).size, log.asked.length, "no node asked twice");
});

Deno.test("dead nodes are skipped and reported", async () => {
  const net = network(300, 2);
  const target = seededRandom(6).bytes(20);
  const closestAlive = trueClosest(net, target);
  for (const n of closestAlive.slice(0, 4)) net.dead.add(n);
  const failed: CompactNode[] = [];
  const query = simulate(net, { inFlight: 0, max: 0, asked: [] });
  const result = await iterativeLookup({
    target,
    start: net.nodes.slice(0, 5),
    query: (node, signal) => query(node, signal, target),
    onFailure: (node) => failed.push(node),
  });
  assert.deepEqual(result.closest.map((h) => h.node), trueClosest(net, target));
  for (const n of closestAlive.slice(0, 4)) {
    assert.ok(failed.includes(n), "a dead node near the target was asked and failed");
  }
});

Deno.test("peers from replies are reported with who sent them", async () => {
  const net = network(200, 3);
  const target = seededRandom(7).bytes(20);
  const holder = trueClosest(net, target)[0];
  net.peersAt.set(holder, [{ host: "10.9.9.9", port: 6881 }]);
  const seen: { peers: readonly PeerAddress[]; from: CompactNode }[] = [];
  const query = simulate(net, { inFlight: 0, max: 0, asked: [] });
  await iterativeLookup({
    target,
    start: net.nodes.slice(0, 3),
    query: (node, signal) => query(node, signal, target),
    onPeers: (peers, from) => seen.push({ peers, from }),
    skip: (node) => node === net.nodes[0],
  });
  assert.deepEqual(seen, [{ peers: [{ host: "10.9.9.9", port: 6881 }], from: holder }]);
});

Deno.test("an abort ends the lookup at once, unconverged", async () => {
  const net = network(200, 4);
  const target = seededRandom(8).bytes(20);
  const controller = new AbortController();
  let asked = 0;
  const result = await iterativeLookup({
    target,
    start: net.nodes.slice(0, 3),
    query: (node, signal) =>
      new Promise((_, reject) => {
        if (++asked === 3) controller.abort();
        signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true });
        void node;
      }),
    signal: controller.signal,
  });
  assert.equal(result.converged, false);
  assert.equal(result.closest.length, 0);
  assert.equal(asked, 3);
});

Deno.test("no start nodes: ends at once with nothing", async () => {
  const result = await iterativeLookup({
    target: new Uint8Array(20),
    start: [],
    query: () => Promise.reject(new Error("never")),
  });
  assert.deepEqual(result, { closest: [], queried: 0, answered: 0, converged: true });
});
