/**
 * Answering queries: get_peers hands out a token and nodes (and peers once announced),
 * announce_peer stores the peer only with a token issued to that IP, unknown methods get 204.
 */
import assert from "node:assert/strict";
import { answerQuery } from "../../src/dht/answer_query.ts";
import type { KrpcQuery } from "../../src/dht/krpc.ts";
import { randomNodeId } from "../../src/dht/node_id.ts";
import { PeerStore } from "../../src/dht/peer_store.ts";
import { K, RoutingTable } from "../../src/dht/routing_table.ts";
import { TOKEN_ROTATE_MS, TokenIssuer } from "../../src/dht/tokens.ts";

const NOW = 1_700_000_000_000;
const FROM = { host: "192.0.2.7", port: 51413 };
const t = new Uint8Array([7, 7]);

function setup() {
  const table = new RoutingTable(randomNodeId());
  for (let i = 0; i < 50; i++) {
    table.add({ id: randomNodeId(), host: "10.0.0.1", port: 1000 + i }, NOW);
  }
  return { table, peers: new PeerStore(), tokens: new TokenIssuer(NOW) };
}

const ask = (context: ReturnType<typeof setup>, query: KrpcQuery, now = NOW, from = FROM) =>
  answerQuery(context, { kind: "query", t, query }, from, now);

Deno.test("ping and find_node answer with our id and the K closest nodes", () => {
  const context = setup();
  const id = randomNodeId();
  assert.deepEqual(ask(context, { method: "ping", id }), {
    kind: "response",
    t,
    response: { id: context.table.ownId },
  });
  const target = randomNodeId();
  const reply = ask(context, { method: "find_node", id, target });
  assert.equal(reply.kind, "response");
  assert.deepEqual(
    reply.kind === "response" && reply.response.nodes,
    context.table.closest(target, K),
  );
});

Deno.test("announce_peer with the token from get_peers is stored and served", () => {
  const context = setup();
  const id = randomNodeId();
  const infoHash = randomNodeId();
  const first = ask(context, { method: "get_peers", id, infoHash });
  assert.ok(first.kind === "response" && first.response.token && !first.response.values);
  assert.equal(first.response.nodes?.length, K);
  const token = first.response.token;
  const announce = (port: number, impliedPort: boolean, tok = token, now = NOW, from = FROM) =>
    ask(
      context,
      { method: "announce_peer", id, infoHash, port, token: tok, impliedPort },
      now,
      from,
    );

  assert.equal(announce(6881, false).kind, "response");
  assert.equal(announce(0, true).kind, "response"); // implied_port: the UDP source port
  const second = ask(context, { method: "get_peers", id, infoHash });
  assert.ok(second.kind === "response");
  assert.deepEqual(
    second.response.values?.map((p) => `${p.host}:${p.port}`).sort(),
    ["192.0.2.7:51413", "192.0.2.7:6881"],
  );

  // Someone else's token, a made-up token, an expired token: error 203, nothing stored.
  const other = { host: "192.0.2.99", port: 1 };
  const expired = NOW + 2 * TOKEN_ROTATE_MS;
  for (
    const reply of [
      announce(1, false, token, NOW, other),
      announce(2, false, new Uint8Array(8)),
      announce(3, false, token, expired),
    ]
  ) {
    assert.equal(reply.kind, "error");
    assert.equal(reply.kind === "error" && reply.code, 203);
  }
  assert.equal(context.peers.size().peers, 2);
});

Deno.test("unknown methods get error 204", () => {
  const reply = ask(setup(), { method: "unknown", id: randomNodeId(), name: "sample_infohashes" });
  assert.deepEqual(reply, { kind: "error", t, code: 204, message: "Method Unknown" });
});
