import assert from "node:assert/strict";
import { startLibtorrent } from "../support/libtorrent.ts";
import { waitFor } from "../support/process.ts";
import { sameTree } from "../support/payload.ts";
import { startTransmission } from "../support/transmission.ts";
import { corruptPayload, withSwarm } from "./swarm_fixture.ts";

// Transmission only turns interested / unchokes in its 10 s rechoke pulse, so each transfer
// takes 10-13 s however small the payload.

Deno.test("Transmission downloads from a libtorrent seed that dials it", () =>
  withSwarm({}, async (swarm) => {
    const leechDir = await swarm.leechDir("transmission");
    const transmission = await startTransmission({
      torrent: swarm.torrent.path,
      dir: leechDir,
      mode: "leech",
    });
    try {
      // Transmission drops 127.x peers from trackers but accepts loopback connections.
      const seed = await startLibtorrent({
        torrent: swarm.torrent.path,
        dir: swarm.seedDir,
        mode: "seed",
        peers: [`127.0.0.1:${transmission.peerPort}`],
      });
      try {
        await transmission.waitForDone(20_000);
        // Transmission 3.00 never creates zero-length files.
        await sameTree(swarm.payload.root, swarm.downloaded(leechDir), {
          ignoreMissingEmptyFiles: true,
        });
        assert.equal((await transmission.stats()).downloaded, swarm.payload.totalSize);
      } finally {
        await seed.stop();
      }
    } finally {
      await transmission.stop();
    }
  }));

Deno.test("libtorrent downloads from a Transmission seed it dials", () =>
  withSwarm({}, async (swarm) => {
    const transmission = await startTransmission({
      torrent: swarm.torrent.path,
      dir: swarm.seedDir,
      mode: "seed",
    });
    try {
      assert.equal(await transmission.progress(), 1);
      const leechDir = await swarm.leechDir("libtorrent");
      const leech = await startLibtorrent({
        torrent: swarm.torrent.path,
        dir: leechDir,
        mode: "leech",
        peers: [`127.0.0.1:${transmission.peerPort}`],
      });
      try {
        await leech.waitForDone(20_000);
        await sameTree(swarm.payload.root, swarm.downloaded(leechDir));
        // uploadedEver also counts each piece message's 13-byte header (one per 16 KiB block).
        const total = swarm.payload.totalSize;
        const withHeaders = total + 13 * Math.ceil(total / 16384);
        const uploaded = await waitFor(async () => {
          const { uploaded } = await transmission.stats();
          return uploaded >= total ? uploaded : undefined;
        }, { timeoutMs: 5_000, what: "Transmission's upload count" });
        assert.ok(uploaded <= withHeaders, `uploaded ${uploaded} > ${withHeaders}`);
      } finally {
        await leech.stop();
      }
    } finally {
      await transmission.stop();
    }
  }));

Deno.test("Transmission refuses to seed data that fails its hash check", () =>
  withSwarm({}, async (swarm) => {
    await corruptPayload(swarm.payload);
    await assert.rejects(
      () => startTransmission({ torrent: swarm.torrent.path, dir: swarm.seedDir, mode: "seed" }),
      /seed data incomplete/,
    );
  }));
