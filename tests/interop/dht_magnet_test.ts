/**
 * A magnet link with nothing but `xt`: our client (the CLI, DHT on, joined through one node of a
 * loopback swarm of real libtorrent DHT nodes) finds libtorrent's seed through the DHT, fetches
 * the metadata from it and downloads. While it seeds on, libtorrent nodes find our client's
 * address in the DHT (our announce reached them), and on exit the routing table is saved under
 * $XDG_CACHE_HOME.
 */
import assert from "node:assert/strict";
import type { PeerAddress } from "../../src/tracker/types.ts";
import { startLibtorrentDht } from "../support/libtorrent_dht.ts";
import { startOurClientWithCache } from "../support/client_with_cache.ts";
import { listeningPort } from "../support/our_client.ts";
import { makePayload, makeTorrent, sameTree } from "../support/payload.ts";
import { waitFor } from "../support/process.ts";
const SWARM_SIZE = 4;

const has = (port: number) => (peers: readonly PeerAddress[]) =>
  peers.some((p) => p.host === "127.0.0.1" && p.port === port);

Deno.test("magnet with only xt: peers from a libtorrent DHT, and libtorrent finds us there", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dht-magnet-" });
  try {
    const payload = await makePayload(`${dir}/seed`, {
      name: "film.bin",
      size: 2_000_003,
      seed: 7,
    });
    const torrent = await makeTorrent(payload.root, {
      pieceLength: 65536,
      out: `${dir}/film.torrent`,
    });
    const swarm = await startLibtorrentDht({
      nodes: SWARM_SIZE,
      seed: { torrent: torrent.path, dir: `${dir}/seed` },
    });
    try {
      await swarm.waitForRoutingTables(SWARM_SIZE - 1, 10_000);
      const seedPort = swarm.ports[0];
      await swarm.forceSeedAnnounce();
      // libtorrent's own announce landed, so a miss below is ours.
      await swarm.findPeers(1, torrent.infoHashHex, has(seedPort), {
        timeoutMs: 15_000,
        what: "libtorrent's seed announce to reach the swarm",
      });

      // A cache folder of this test's own, to see the routing table saved there.
      const cache = `${dir}/cache`;
      const client = startOurClientWithCache([
        `magnet:?xt=urn:btih:${torrent.infoHashHex}`,
        "--no-tui",
        "--out",
        `${dir}/dl`,
        "--port",
        "0",
        "--dht-bootstrap",
        `127.0.0.1:${swarm.ports[1]}`,
        "--seed",
        "-v",
      ], cache);
      try {
        const ourPort = await listeningPort(client, 15_000);
        // The event log is printed once a second, so it may trail the "done" line.
        const wanted = [
          new RegExp(`connected to 127\\.0\\.0\\.1:${seedPort} .*for metadata`),
          /metadata fetched and verified: film\.bin/,
          /done: film\.bin/,
        ];
        await waitFor(() => wanted.every((re) => re.test(client.output())), {
          timeoutMs: 30_000,
          what: `our client to download through the DHT:\n${client.output()}`,
        });
        await sameTree(payload.root, `${dir}/dl/film.bin`);

        // Our announce: libtorrent nodes that were not our bootstrap node find our TCP port.
        await waitFor(
          () => /DHT: \d+ peers found so far, announced to [1-9]\d* nodes/.test(client.output()),
          {
            timeoutMs: 30_000,
            what: `our client to announce in the DHT:\n${client.output()}`,
          },
        );
        for (const node of [2, 3]) {
          await swarm.findPeers(node, torrent.infoHashHex, has(ourPort), {
            timeoutMs: 15_000,
            what: `libtorrent node ${node} to find our client on port ${ourPort}`,
          });
        }

        const status = await client.stop();
        assert.equal(status.code, 0, client.output());
      } finally {
        await client.stop();
      }
      const state = JSON.parse(await Deno.readTextFile(`${cache}/bittorrent-ts/dht.json`));
      const ports = new Set(
        (state.nodes as { port: number }[]).map((n) => n.port),
      );
      assert.ok(
        swarm.ports.some((p) => ports.has(p)),
        `saved routing table ${JSON.stringify(state.nodes)} holds no libtorrent node`,
      );
    } finally {
      await swarm.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
