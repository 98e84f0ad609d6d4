/** Announced peers: deduplicated, capped per torrent and in torrents, and expiring. */
import assert from "node:assert/strict";
import { randomNodeId } from "../../src/dht/node_id.ts";
import { PeerStore } from "../../src/dht/peer_store.ts";

const NOW = 1_000_000;

Deno.test("peers are stored per info hash, deduplicated and refreshed", () => {
  const store = new PeerStore();
  const a = randomNodeId();
  const b = randomNodeId();
  store.add(a, { host: "10.0.0.1", port: 1 }, NOW);
  store.add(a, { host: "10.0.0.1", port: 1 }, NOW + 1);
  store.add(a, { host: "10.0.0.2", port: 1 }, NOW);
  store.add(b, { host: "10.0.0.3", port: 3 }, NOW);
  assert.deepEqual(
    store.get(a, NOW, 50).map((p) => p.host).sort(),
    ["10.0.0.1", "10.0.0.2"],
  );
  assert.deepEqual(store.get(b, NOW, 50), [{ host: "10.0.0.3", port: 3 }]);
  assert.deepEqual(store.get(randomNodeId(), NOW, 50), []);
  assert.deepEqual(store.size(), { torrents: 2, peers: 3 });
  assert.equal(store.get(a, NOW, 1).length, 1);
});

Deno.test("announces expire after the ttl and prune drops them", () => {
  const store = new PeerStore({ maxTorrents: 10, maxPeersPerTorrent: 10, ttlMs: 1000 });
  const a = randomNodeId();
  store.add(a, { host: "10.0.0.1", port: 1 }, NOW);
  store.add(a, { host: "10.0.0.2", port: 2 }, NOW + 500);
  assert.deepEqual(store.get(a, NOW + 1000, 10), [{ host: "10.0.0.2", port: 2 }]);
  store.prune(NOW + 1000);
  assert.deepEqual(store.size(), { torrents: 1, peers: 1 });
  store.prune(NOW + 1500);
  assert.deepEqual(store.size(), { torrents: 0, peers: 0 });
});

Deno.test("limits drop the oldest peer and the least recently announced torrent", () => {
  const store = new PeerStore({ maxTorrents: 2, maxPeersPerTorrent: 3, ttlMs: 60_000 });
  const [a, b, c] = [randomNodeId(), randomNodeId(), randomNodeId()];
  for (let i = 1; i <= 5; i++) store.add(a, { host: `10.0.0.${i}`, port: i }, NOW + i);
  assert.deepEqual(store.get(a, NOW, 10).map((p) => p.port).sort(), [3, 4, 5]);
  store.add(b, { host: "10.0.1.1", port: 1 }, NOW);
  store.add(a, { host: "10.0.0.9", port: 9 }, NOW); // a is now the most recent
  store.add(c, { host: "10.0.2.1", port: 1 }, NOW); // evicts b
  assert.deepEqual(store.get(b, NOW, 10), []);
  assert.equal(store.get(a, NOW, 10).length, 3);
  assert.equal(store.get(c, NOW, 10).length, 1);
});
