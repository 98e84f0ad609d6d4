/**
 * Our client downloads from a real libtorrent seeder found through a real opentracker (HTTP).
 */
import assert from "node:assert/strict";
import { startLibtorrent } from "../support/libtorrent.ts";
import { makeTrackedTorrent } from "../support/tracked_torrent.ts";
import { runOurClient } from "../support/our_client.ts";
import { makePayload, multiFileSpec, sameTree } from "../support/payload.ts";

Deno.test("downloads a multi-file torrent from libtorrent through opentracker over HTTP", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const payload = await makePayload(`${dir}/seed`, multiFileSpec("album", 3, 11));
    const { torrent, tracker } = await makeTrackedTorrent(payload.root, {
      pieceLength: 32768,
      out: `${dir}/album.torrent`,
    });
    try {
      const seed = await startLibtorrent({
        torrent: torrent.path,
        dir: `${dir}/seed`,
        mode: "seed",
      });
      try {
        await tracker.waitForPeer(torrent.infoHashHex, seed.port, 15_000);
        const run = await runOurClient(
          [torrent.path, "--no-tui", "--out", `${dir}/dl`, "--port", "0", "--give-up", "30"],
          60_000,
        );
        assert.equal(run.code, 0, run.output);
        assert.match(run.output, /done: album/);
        await sameTree(payload.root, `${dir}/dl/album`);
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
