import assert from "node:assert/strict";
import { startAria2 } from "../support/aria2.ts";
import { startLibtorrent } from "../support/libtorrent.ts";
import { startOpentracker } from "../support/opentracker.ts";
import { sameTree } from "../support/payload.ts";
import { corruptPayload, withSwarm } from "./swarm_fixture.ts";

Deno.test("aria2 downloads from a libtorrent seed found through opentracker (HTTP)", () =>
  withSwarm({}, async (swarm) => {
    const tracker = await startOpentracker([swarm.torrent.infoHashHex]);
    try {
      const torrent = await swarm.torrentWith([tracker.httpUrl]);
      assert.equal(torrent.infoHashHex, swarm.torrent.infoHashHex);
      const seed = await startLibtorrent({
        torrent: torrent.path,
        dir: swarm.seedDir,
        mode: "seed",
      });
      try {
        const leechDir = await swarm.leechDir("aria2");
        const aria2 = await startAria2({ torrent: torrent.path, dir: leechDir, mode: "leech" });
        try {
          await aria2.waitForDone(15_000);
          await sameTree(swarm.payload.root, swarm.downloaded(leechDir));
          const stats = await aria2.stats();
          assert.equal(stats.progress, 1);
          assert.equal(stats.downloaded, swarm.payload.totalSize);
        } finally {
          await aria2.stop();
        }
      } finally {
        await seed.stop();
      }
    } finally {
      await tracker.stop();
    }
  }));

Deno.test("libtorrent downloads from an aria2 seed it dials", () =>
  withSwarm({}, async (swarm) => {
    const aria2 = await startAria2({
      torrent: swarm.torrent.path,
      dir: swarm.seedDir,
      mode: "seed",
    });
    try {
      assert.equal(await aria2.progress(), 1);
      const leechDir = await swarm.leechDir("libtorrent");
      const leech = await startLibtorrent({
        torrent: swarm.torrent.path,
        dir: leechDir,
        mode: "leech",
        peers: [`127.0.0.1:${aria2.port}`],
      });
      try {
        await leech.waitForDone(15_000);
        await sameTree(swarm.payload.root, swarm.downloaded(leechDir));
        assert.equal((await aria2.stats()).uploaded, swarm.payload.totalSize);
      } finally {
        await leech.stop();
      }
    } finally {
      await aria2.stop();
    }
  }));

Deno.test("aria2 refuses to seed data that fails its hash check", () =>
  withSwarm({}, async (swarm) => {
    await corruptPayload(swarm.payload);
    await assert.rejects(
      () => startAria2({ torrent: swarm.torrent.path, dir: swarm.seedDir, mode: "seed" }),
      /seed data incomplete/,
    );
  }));
