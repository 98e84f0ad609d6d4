/**
 * Our client downloads from a real aria2 seeder, finding it through opentracker over UDP
 * (BEP 15) while aria2 announces over HTTP to the same tracker.
 */
import assert from "node:assert/strict";
import { startAria2 } from "../support/aria2.ts";
import { makeTrackedTorrent } from "../support/tracked_torrent.ts";
import { runOurClient } from "../support/our_client.ts";
import { makePayload, sameTree } from "../support/payload.ts";

Deno.test("downloads from aria2 through opentracker over UDP", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const payload = await makePayload(`${dir}/seed`, {
      name: "video.bin",
      size: 3_000_017,
      seed: 5,
    });
    // Tier 1 is UDP, so our client uses UDP; aria2 (DHT off) skips UDP and uses tier 2, HTTP.
    const { torrent, tracker } = await makeTrackedTorrent(payload.root, {
      pieceLength: 131072,
      out: `${dir}/video.torrent`,
      announce: (t) => [t.udpUrl, t.httpUrl],
    });
    try {
      const seed = await startAria2({ torrent: torrent.path, dir: `${dir}/seed`, mode: "seed" });
      try {
        await tracker.waitForPeer(torrent.infoHashHex, seed.port, 15_000);
        const run = await runOurClient(
          [torrent.path, "--no-tui", "--out", `${dir}/dl`, "--port", "0", "--give-up", "30"],
          60_000,
        );
        assert.equal(run.code, 0, run.output);
        assert.match(run.output, /from 1 peer/);
        await sameTree(payload.root, `${dir}/dl/video.bin`);
      } finally {
        await seed.stop();
      }
    } finally {
      await tracker.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
