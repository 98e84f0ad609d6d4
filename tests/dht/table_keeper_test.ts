/**
 * Routing table membership on a fake network (no sockets): strangers enter only after answering
 * a ping with their id, pings are capped and one per address, a full bucket's questionable node
 * is replaced only when dead, a query's silence counts a failure but an abort does not, and the
 * join asks routers first, then the saved nodes closest to our id, and returns what they named.
 */
import assert from "node:assert/strict";
import { DhtError } from "../../src/dht/dht_error.ts";
import type { CompactNode, KrpcQuery, KrpcResponse } from "../../src/dht/krpc.ts";
import type { UdpAddress } from "../../src/dht/krpc_socket.ts";
import { randomIdAtPrefix, randomNodeId } from "../../src/dht/node_id.ts";
import { RoutingTable } from "../../src/dht/routing_table.ts";
import {
  MAX_BOOTSTRAP_CONTACTS,
  MAX_VERIFICATIONS,
  TableKeeper,
} from "../../src/dht/table_keeper.ts";

const key = (to: UdpAddress) => `${to.host}:${to.port}`;
const node = (i: number, id = randomNodeId()): CompactNode => ({
  id,
  host: "10.0.0.1",
  port: 1000 + i,
});

/**
 * A keeper over a fake network: an address in `answers` replies with that response, any other
 * stays silent (rejects like a timeout). `hold()` keeps every reply back until `release()`;
 * aborts reject at once, as the real socket does.
 */
function setup() {
  const table = new RoutingTable(randomNodeId());
  const closing = new AbortController();
  const answers = new Map<string, KrpcResponse>();
  const sent: { to: UdpAddress; query: KrpcQuery }[] = [];
  const tasks: Promise<void>[] = [];
  let gate = Promise.resolve();
  let release = () => {};
  const keeper = new TableKeeper({
    table,
    query: (to, query, signal) => {
      sent.push({ to, query });
      return new Promise((resolve, reject) => {
        if (signal.aborted) return reject(new DhtError("query aborted"));
        signal.addEventListener("abort", () => reject(new DhtError("query aborted")));
        gate.then(() => {
          const answer = answers.get(key(to));
          if (answer) resolve(answer);
          else reject(new DhtError(`${query.method} to ${key(to)} timed out`));
        });
      });
    },
    closing: closing.signal,
    track: (task) => tasks.push(task),
  });
  return {
    table,
    keeper,
    closing,
    sent,
    answers,
    /** `node` answers every query with its own id (and `nodes`, if given). */
    alive(n: CompactNode, nodes?: CompactNode[]) {
      answers.set(key(n), { id: n.id, nodes });
    },
    hold() {
      gate = new Promise((r) => release = r);
    },
    release: () => release(),
    /** Waits for background pings, including those they start. */
    async settle() {
      while (tasks.length > 0) await tasks.shift();
    },
  };
}

Deno.test("a stranger that queried us enters the table only after a ping answered with its id", async () => {
  const net = setup();
  const [honest, silent, impostor] = [node(1), node(2), node(3)];
  net.alive(honest);
  // Another node now answers at the impostor's address.
  net.answers.set(key(impostor), { id: randomNodeId() });
  for (const n of [honest, silent, impostor]) net.keeper.heardFrom(n);
  assert.equal(net.table.size, 0, "nobody is trusted before the ping");
  await net.settle();
  assert.deepEqual(net.sent.map((s) => s.query), [
    { method: "ping", id: net.table.ownId },
    { method: "ping", id: net.table.ownId },
    { method: "ping", id: net.table.ownId },
  ]);
  assert.deepEqual(net.table.entries().map((e) => e.id), [honest.id]);

  // A known node is refreshed without a ping.
  const known = node(4);
  net.table.add(known, 0);
  net.keeper.heardFrom(known);
  await net.settle();
  assert.equal(net.sent.length, 3);
  assert.ok(net.table.entries().find((e) => e.port === known.port)!.lastSeen > 0);
});

Deno.test("pings to strangers are capped at MAX_VERIFICATIONS and one per address", async () => {
  const net = setup();
  // One per bucket, so a full bucket never keeps one out.
  const strangers = Array.from(
    { length: MAX_VERIFICATIONS + 4 },
    (_, i) => node(i, randomIdAtPrefix(net.table.ownId, i)),
  );
  strangers.forEach((n) => net.alive(n));
  net.hold();
  net.keeper.heardFrom(strangers[0]);
  for (const n of strangers) net.keeper.heardFrom(n);
  assert.equal(net.sent.length, MAX_VERIFICATIONS);
  assert.equal(new Set(net.sent.map((s) => key(s.to))).size, MAX_VERIFICATIONS);
  net.release();
  await net.settle();
  assert.equal(net.table.size, MAX_VERIFICATIONS);
  // The slots are free again once the pings are over.
  net.keeper.heardFrom(strangers.at(-1)!);
  await net.settle();
  assert.equal(net.sent.length, MAX_VERIFICATIONS + 1);
  assert.ok(net.table.has(strangers.at(-1)!.id));
});

Deno.test("a newcomer meeting a full bucket takes the questionable node's place only if it is dead", async () => {
  for (const oldAnswers of [false, true]) {
    const net = setup();
    // Eight nodes in the far half of the id space fill the bucket that cannot split.
    const olds = Array.from({ length: 8 }, (_, i) => node(i, randomIdAtPrefix(net.table.ownId, 0)));
    olds.forEach((n, i) => net.table.add(n, i + 1));
    const newcomer = node(99, randomIdAtPrefix(net.table.ownId, 0));
    net.alive(newcomer);
    if (oldAnswers) net.alive(olds[0]);
    await net.keeper.ask(newcomer, { method: "ping", id: net.table.ownId });
    await net.settle();
    const last = net.sent.at(-1)!;
    assert.equal(key(last.to), key(olds[0]), "the least recently seen node is tested");
    assert.deepEqual(last.query, { method: "ping", id: net.table.ownId });
    assert.equal(net.table.has(olds[0].id), oldAnswers);
    assert.equal(net.table.has(newcomer.id), !oldAnswers);
    assert.equal(net.table.size, 8);
  }
});

Deno.test("ask: a reply adds the node, silence counts a failure, an abort does not", async () => {
  const net = setup();
  const answering = node(1);
  net.alive(answering);
  const reply = await net.keeper.ask(answering, { method: "ping", id: net.table.ownId });
  assert.deepEqual(reply.id, answering.id);
  assert.ok(net.table.has(answering.id));
  // The table records who answered at that address, not whom we thought we asked.
  const restarted = node(3);
  const newId = randomNodeId();
  net.answers.set(key(restarted), { id: newId });
  await net.keeper.ask(restarted, { method: "ping", id: net.table.ownId });
  assert.ok(net.table.has(newId) && !net.table.has(restarted.id));

  const silent = node(2);
  net.table.add(silent, 1);
  const failures = () => net.table.entries().find((e) => e.port === silent.port)!.failures;
  await assert.rejects(net.keeper.ask(silent, { method: "ping", id: net.table.ownId }), DhtError);
  assert.equal(failures(), 1);

  net.hold();
  const caller = new AbortController();
  const cut = net.keeper.ask(silent, { method: "ping", id: net.table.ownId }, caller.signal);
  caller.abort();
  await assert.rejects(cut, DhtError);
  const closed = net.keeper.ask(silent, { method: "ping", id: net.table.ownId });
  net.closing.abort();
  await assert.rejects(closed, DhtError);
  assert.equal(failures(), 1, "aborted queries say nothing about the node");
});

Deno.test("join asks routers first, then the saved nodes closest to our id, up to the cap", async () => {
  const net = setup();
  const routers = Array.from(
    { length: MAX_BOOTSTRAP_CONTACTS - 1 },
    (_, i) => ({ host: "198.51.100.1", port: 2000 + i }),
  );
  const saved = [node(1), node(2), node(3)];
  saved.forEach((n) => net.table.add(n, 0));
  const closest = net.table.closest(net.table.ownId, 1)[0];
  assert.deepEqual(await net.keeper.join(routers), []);
  assert.deepEqual(net.sent.map((s) => key(s.to)), [...routers, closest].map(key));
  const ownId = net.table.ownId;
  for (const s of net.sent) {
    assert.deepEqual(s.query, { method: "find_node", id: ownId, target: ownId });
  }
  for (const e of net.table.entries()) {
    assert.equal(e.failures, e.port === closest.port ? 1 : 0, "only an asked saved node failed");
  }
  assert.equal(net.table.size, 3, "silent routers are not added");
});

Deno.test("join adds who answered and returns the nodes they named; closing spares the silent", async () => {
  const net = setup();
  const router = { host: "198.51.100.1", port: 6881 };
  const routerId = randomNodeId();
  const [named1, named2, named3] = [node(11), node(12), node(13)];
  net.answers.set(key(router), { id: routerId, nodes: [named1] });
  const [answering, silent] = [node(1), node(2)];
  net.alive(answering, [named2, named3]);
  net.table.add(answering, 0);
  net.table.add(silent, 0);
  const learned = await net.keeper.join([router]);
  assert.deepEqual(
    learned.map((n) => n.port).sort(),
    [named1, named2, named3].map((n) => n.port),
  );
  const entry = (port: number) => net.table.entries().find((e) => e.port === port)!;
  assert.deepEqual(entry(router.port).id, routerId, "the router is known by the id it gave");
  assert.ok(entry(answering.port).lastSeen > 0);
  assert.equal(entry(answering.port).failures, 0);
  assert.equal(entry(silent.port).failures, 1);

  // A join cut short by closing leaves the saved nodes as they were.
  net.hold();
  const joining = net.keeper.join([]);
  net.closing.abort();
  assert.deepEqual(await joining, []);
  assert.equal(entry(silent.port).failures, 1);
});
