/**
 * Our client downloads from a real libtorrent seeder found through a real opentracker (HTTP).
 */
import assert from "node:assert/strict";
import { startLibtorrent } from "../support/libtorrent.ts";
import { startOpentracker } from "../support/opentracker.ts";
import { runOurClient } from "../support/our_client.ts";
import {
  infoHashOf,
  makePayload,
  makeTorrent,
  multiFileSpec,
  sameTree,
} from "../support/payload.ts";

Deno.test("downloads a multi-file torrent from libtorrent through opentracker over HTTP", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const payload = await makePayload(`${dir}/seed`, multiFileSpec("album", 3, 11));
    // The info-hash does not depend on the tracker, so it can be whitelisted before the torrent exists.
    const probe = await makeTorrent(payload.root, {
      pieceLength: 32768,
      out: `${dir}/probe.torrent`,
    });
    const tracker = await startOpentracker([probe.infoHashHex]);
    try {
      const torrent = await makeTorrent(payload.root, {
        pieceLength: 32768,
        out: `${dir}/album.torrent`,
        trackers: [tracker.httpUrl],
      });
      assert.equal(await infoHashOf(torrent.path), probe.infoHashHex);
      const seed = await startLibtorrent({
        torrent: torrent.path,
        dir: `${dir}/seed`,
        mode: "seed",
      });
      try {
        await tracker.waitForPeer(probe.infoHashHex, seed.port, 15_000);
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
