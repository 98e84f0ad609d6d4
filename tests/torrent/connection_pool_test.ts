import assert from "node:assert/strict";
import { ConnectionPool } from "../../src/torrent/connection_pool.ts";
import type { PeerAddress } from "../../src/tracker/types.ts";

function pool(dial: (a: PeerAddress) => Promise<void>, now: () => number, connected = () => 0) {
  return new ConnectionPool({
    maxConnections: 2,
    maxDialing: 8,
    dial,
    connectedCount: connected,
    now,
  });
}

const flush = () => new Promise((r) => setTimeout(r, 0));

Deno.test("a banned address is never dialed again, even when a tracker reports it again", async () => {
  const dialed: string[] = [];
  const p = pool(
    (a) => (dialed.push(`${a.host}:${a.port}`), Promise.reject(new Error("x"))),
    () => 0,
  );
  p.ban("10.0.0.1:6881");
  p.add([{ host: "10.0.0.1", port: 6881 }, { host: "10.0.0.1", port: 6882 }], "tracker");
  await flush();
  assert.deepEqual(dialed, ["10.0.0.1:6882"], "another port of the same host is another peer");
});

Deno.test("failed peers are retried with growing delays, then given up", async () => {
  let now = 0;
  let dials = 0;
  const p = pool(() => (dials++, Promise.reject(new Error("refused"))), () => now);
  p.add([{ host: "10.0.0.2", port: 1 }], "test");
  await flush();
  assert.equal(dials, 1);
  p.pump();
  await flush();
  assert.equal(dials, 1, "not again at once");
  for (const wait of [20_000, 40_000, 80_000]) {
    now += wait;
    p.pump();
    await flush();
  }
  assert.equal(dials, 4);
  assert.ok(p.exhausted, "given up after the last failure");
  assert.match(p.failures()[0], /refused/);
});

Deno.test("no more dials than the connection limit allows", async () => {
  const pending: (() => void)[] = [];
  const p = pool(() => new Promise<void>((resolve) => pending.push(resolve)), () => 0, () => 1);
  p.add([1, 2, 3, 4].map((port) => ({ host: "10.0.0.3", port })), "test");
  await flush();
  assert.equal(pending.length, 1, "one connected plus one dialing fills the limit of 2");
});
