/** Saved DHT state: written as JSON, read back checked, bad files rejected with DhtError. */
import assert from "node:assert/strict";
import { DhtError } from "../../src/dht/dht_error.ts";
import { dhtState, MAX_STATE_NODES, parseDhtState } from "../../src/dht/dht_state.ts";
import { randomNodeId } from "../../src/dht/node_id.ts";

Deno.test("state round-trips through JSON", () => {
  const nodeId = randomNodeId();
  const nodes = [{ id: randomNodeId(), host: "192.0.2.1", port: 6881 }];
  const state = JSON.parse(JSON.stringify(dhtState(nodeId, nodes)));
  assert.equal(state.nodeId.length, 40);
  assert.deepEqual(parseDhtState(state), { nodeId, nodes });
});

Deno.test("too many nodes are cut to the limit", () => {
  const nodes = Array.from({ length: MAX_STATE_NODES + 50 }, (_, i) => ({
    id: randomNodeId(),
    host: "10.0.0.1",
    port: 1 + i,
  }));
  assert.equal(dhtState(randomNodeId(), nodes).nodes.length, MAX_STATE_NODES);
  const parsed = parseDhtState({
    nodeId: "ab".repeat(20),
    nodes: dhtState(randomNodeId(), nodes).nodes,
  });
  assert.equal(parsed.nodes.length, MAX_STATE_NODES);
});

Deno.test("bad states are DhtErrors", () => {
  const id = "ab".repeat(20);
  const node = { id, host: "10.0.0.1", port: 1 };
  const bad: unknown[] = [
    null,
    "state",
    { nodeId: id },
    { nodeId: "xyz", nodes: [] },
    { nodeId: id.slice(2), nodes: [] },
    { nodeId: id, nodes: [null] },
    { nodeId: id, nodes: [{ ...node, host: "example.org" }] },
    { nodeId: id, nodes: [{ ...node, port: 0 }] },
    { nodeId: id, nodes: [{ ...node, port: "1" }] },
    { nodeId: id, nodes: [{ ...node, id: 5 }] },
  ];
  for (const state of bad) {
    assert.throws(() => parseDhtState(state), DhtError, JSON.stringify(state));
  }
});
