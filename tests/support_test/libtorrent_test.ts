import assert from "node:assert/strict";
import { startLibtorrent } from "../support/libtorrent.ts";
import { sameTree } from "../support/payload.ts";
import { corruptPayload, withSwarm } from "./swarm_fixture.ts";

Deno.test("libtorrent leeches a multi-file torrent from a libtorrent seed it dials", () =>
  withSwarm({}, async (swarm) => {
    const seed = await startLibtorrent({
      torrent: swarm.torrent.path,
      dir: swarm.seedDir,
      mode: "seed",
    });
    try {
      assert.equal(seed.status().done, true);
      const leechDir = await swarm.leechDir("leech");
      const leech = await startLibtorrent({
        torrent: swarm.torrent.path,
        dir: leechDir,
        mode: "leech",
        peers: [`127.0.0.1:${seed.port}`],
      });
      try {
        await leech.waitForDone(10_000);
        await sameTree(swarm.payload.root, swarm.downloaded(leechDir));
        assert.equal((await leech.stats()).downloaded, swarm.payload.totalSize);
        // The seed's counters trail by a status tick or two.
        await seed.waitFor(
          (s) => s.uploaded === swarm.payload.totalSize,
          5_000,
          "seed upload count",
        );
      } finally {
        await leech.stop();
      }
    } finally {
      await seed.stop();
    }
  }));

Deno.test("libtorrent refuses to seed data that fails its hash check", () =>
  withSwarm({}, async (swarm) => {
    await corruptPayload(swarm.payload);
    await assert.rejects(
      () => startLibtorrent({ torrent: swarm.torrent.path, dir: swarm.seedDir, mode: "seed" }),
      /seed data incomplete/,
    );
  }));
