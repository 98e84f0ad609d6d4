/**
 * Our DHT node against a swarm of four real libtorrent DHT nodes on 127.0.0.1: we find the peer
 * a libtorrent seeder announced, libtorrent finds us after we announce, and a node restarted from
 * saved state (no bootstrap list) still finds peers.
 */
import assert from "node:assert/strict";
import { DhtNode } from "../../src/dht/dht_node.ts";
import type { PeerAddress } from "../../src/tracker/types.ts";
import { fromHex } from "../../src/util/bytes.ts";
import { startLibtorrentDht } from "../support/libtorrent_dht.ts";
import { withTimeout } from "../support/process.ts";
import { syntheticTorrent } from "../support/synthetic_torrent.ts";

const SWARM_SIZE = 4;

/** Collects what a lookup yields until it ends or `done` holds. */
async function lookupUntil(
  node: DhtNode,
  infoHash: Uint8Array,
  done: (peers: readonly PeerAddress[]) => boolean,
  timeoutMs: number,
): Promise<PeerAddress[]> {
  const peers: PeerAddress[] = [];
  const signal = AbortSignal.timeout(timeoutMs);
  for await (const peer of node.lookup(infoHash, signal)) {
    peers.push(peer);
    if (done(peers)) break;
  }
  return peers;
}

const has = (port: number) => (peers: readonly PeerAddress[]) =>
  peers.some((p) => p.host === "127.0.0.1" && p.port === port);

Deno.test("DHT interop with a libtorrent swarm on loopback", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "dht-interop-" });
  const torrent = await syntheticTorrent("dht-seed.bin", [
    { path: "dht-seed.bin", length: 64 * 1024 },
  ], 16 * 1024);
  await Deno.writeFile(`${dir}/seed.torrent`, torrent.torrentBytes);
  await Deno.writeFile(`${dir}/dht-seed.bin`, torrent.content);
  const infoHash = torrent.metainfo.infoHash;
  const infoHashHex = torrent.metainfo.infoHashHex;

  const swarm = await startLibtorrentDht({
    nodes: SWARM_SIZE,
    seed: { torrent: `${dir}/seed.torrent`, dir },
  });
  const nodes: DhtNode[] = [];
  try {
    await swarm.waitForRoutingTables(SWARM_SIZE - 1, 10_000);
    const seedPort = swarm.ports[0];
    await swarm.forceSeedAnnounce();
    // Proves libtorrent's own announce landed before we look, so a miss below is ours.
    await swarm.findPeers(1, infoHashHex, has(seedPort), {
      timeoutMs: 15_000,
      what: "libtorrent's seeder announce to reach the swarm",
    });

    const ours = await DhtNode.start({
      port: 0,
      host: "127.0.0.1",
      bootstrap: swarm.ports.map((port) => ({ host: "127.0.0.1", port })),
    });
    nodes.push(ours);

    await t.step("libtorrent takes our node into its routing tables", async () => {
      await swarm.addNode("127.0.0.1", ours.port);
      // Each session knows the other SWARM_SIZE - 1; one more is us, answering its queries.
      await swarm.waitForRoutingTables(SWARM_SIZE, 10_000);
    });

    await t.step("we find the peer a libtorrent seeder announced", async () => {
      const peers = await lookupUntil(ours, infoHash, has(seedPort), 10_000);
      assert.ok(
        has(seedPort)(peers),
        `lookup found ${JSON.stringify(peers)}, not the seeder 127.0.0.1:${seedPort}`,
      );
      assert.ok(ours.stats().nodes >= SWARM_SIZE, `routing table: ${ours.stats().nodes} nodes`);
    });

    await t.step("libtorrent finds us after we announce", async () => {
      const ourInfoHash = fromHex("0123456789abcdef0123456789abcdef01234567");
      const ourPeerPort = 34567;
      const accepted = await withTimeout(
        ours.announce(ourInfoHash, ourPeerPort),
        15_000,
        "announce",
      );
      assert.ok(accepted >= 1, `no libtorrent node accepted our announce_peer (${accepted})`);
      for (const node of [2, 3]) {
        const peers = await swarm.findPeers(
          node,
          "0123456789abcdef0123456789abcdef01234567",
          has(ourPeerPort),
          {
            timeoutMs: 15_000,
            what: `libtorrent node ${node} to find our announce of port ${ourPeerPort}`,
          },
        );
        assert.ok(has(ourPeerPort)(peers));
      }
    });

    await t.step("a node restarted from saved state works without bootstrap", async () => {
      const state = JSON.parse(JSON.stringify(ours.state()));
      assert.ok(state.nodes.length >= SWARM_SIZE, `state holds ${state.nodes.length} nodes`);
      await ours.close();
      const restored = await DhtNode.start({ port: 0, host: "127.0.0.1", bootstrap: [], state });
      nodes.push(restored);
      assert.deepEqual(restored.nodeId, ours.nodeId);
      const peers = await lookupUntil(restored, infoHash, has(seedPort), 10_000);
      assert.ok(
        has(seedPort)(peers),
        `restored node found ${JSON.stringify(peers)}, not the seeder 127.0.0.1:${seedPort}`,
      );
    });
  } finally {
    await Promise.all(nodes.map((n) => n.close()));
    await swarm.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
