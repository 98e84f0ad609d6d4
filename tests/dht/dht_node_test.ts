/**
 * Our DHT nodes among themselves on 127.0.0.1: they join through one another, a peer announced
 * by one is found by a node that joined later, lookups stop on abort and on close, and bad
 * arguments are DhtErrors.
 */
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { DhtError } from "../../src/dht/dht_error.ts";
import { DhtNode } from "../../src/dht/dht_node.ts";
import type { PeerAddress } from "../../src/tracker/types.ts";
import { waitFor, withTimeout } from "../support/process.ts";

const local = (node: DhtNode) => ({ host: "127.0.0.1", port: node.port });

async function collect(iterable: AsyncIterable<PeerAddress>): Promise<PeerAddress[]> {
  const out: PeerAddress[] = [];
  for await (const peer of iterable) out.push(peer);
  return out;
}

Deno.test("a node that joined later finds a peer another node announced", async () => {
  const nodes: DhtNode[] = [];
  try {
    const a = await DhtNode.start({ port: 0, host: "127.0.0.1", bootstrap: [] });
    nodes.push(a);
    for (let i = 0; i < 4; i++) {
      nodes.push(await DhtNode.start({ port: 0, host: "127.0.0.1", bootstrap: [local(a)] }));
    }
    // The first node learns the others when they query it and answer its ping.
    await waitFor(() => a.stats().nodes === 4, {
      timeoutMs: 5_000,
      what: "node A to know 4 nodes",
    });
    const infoHash = crypto.getRandomValues(new Uint8Array(20));
    const accepted = await withTimeout(a.announce(infoHash, 6881), 10_000, "announce");
    assert.equal(accepted, 4, "every other node took the announce");
    assert.equal(nodes[1].stats().peersStored, 1);

    const late = await DhtNode.start({ port: 0, host: "127.0.0.1", bootstrap: [local(nodes[4])] });
    nodes.push(late);
    const peers = await withTimeout(collect(late.lookup(infoHash)), 10_000, "lookup");
    assert.deepEqual(peers, [{ host: "127.0.0.1", port: 6881 }]);
    assert.equal(late.stats().peersStored, 0, "the peer came over the network, not from a store");
    assert.ok(late.stats().nodes >= 5, `late node knows ${late.stats().nodes} nodes`);
    assert.ok(late.stats().bootstrapped);
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
  }
});

Deno.test("a lookup with nobody to ask ends; abort and close end a waiting one", async () => {
  const alone = await DhtNode.start({ port: 0, host: "127.0.0.1", bootstrap: [] });
  try {
    assert.deepEqual(
      await withTimeout(collect(alone.lookup(new Uint8Array(20))), 2_000, "lookup"),
      [],
    );
  } finally {
    await alone.close();
  }

  // A bootstrap node that never answers keeps the first lookup waiting for the bootstrap round.
  const silent = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => silent.bind(0, "127.0.0.1", () => resolve()));
  const node = await DhtNode.start({
    port: 0,
    host: "127.0.0.1",
    bootstrap: [{ host: "127.0.0.1", port: silent.address().port }],
  });
  try {
    const controller = new AbortController();
    const aborted = collect(node.lookup(new Uint8Array(20), controller.signal));
    setTimeout(() => controller.abort(), 50);
    assert.deepEqual(await withTimeout(aborted, 1_000, "an aborted lookup to end"), []);
    const waiting = collect(node.lookup(new Uint8Array(20)));
    await new Promise((r) => setTimeout(r, 50));
    await withTimeout(node.close(), 1_000, "close");
    assert.deepEqual(await withTimeout(waiting, 1_000, "a lookup to end on close"), []);
  } finally {
    await node.close();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

Deno.test("bad arguments and bad saved state are DhtErrors", async () => {
  await assert.rejects(
    DhtNode.start({ port: 0, host: "127.0.0.1", bootstrap: [], state: { nodeId: "x", nodes: [] } }),
    DhtError,
  );
  const node = await DhtNode.start({ port: 0, host: "127.0.0.1", bootstrap: [] });
  try {
    await assert.rejects(node.announce(new Uint8Array(20), 0), DhtError);
    assert.throws(() => node.lookup(new Uint8Array(19)), DhtError);
    const taken = DhtNode.start({ port: node.port, host: "127.0.0.1", bootstrap: [] });
    await assert.rejects(taken, DhtError);
  } finally {
    await node.close();
  }
});
