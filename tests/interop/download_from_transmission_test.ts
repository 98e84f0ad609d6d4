/**
 * Our client downloads from a real Transmission seeder given only with --peer: no tracker.
 */
import assert from "node:assert/strict";
import { runOurClient } from "../support/our_client.ts";
import { makePayload, makeTorrent, multiFileSpec, sameTree } from "../support/payload.ts";
import { startTransmission } from "../support/transmission.ts";

Deno.test("downloads from Transmission with --peer and no tracker at all", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const payload = await makePayload(`${dir}/seed`, multiFileSpec("tracks", 2, 23));
    const torrent = await makeTorrent(payload.root, {
      pieceLength: 65536,
      out: `${dir}/t.torrent`,
    });
    const seed = await startTransmission({
      torrent: torrent.path,
      dir: `${dir}/seed`,
      mode: "seed",
    });
    try {
      const run = await runOurClient([
        torrent.path,
        "--no-tui",
        "--out",
        `${dir}/dl`,
        "--port",
        "0",
        "--peer",
        `127.0.0.1:${seed.peerPort}`,
        "--give-up",
        "30",
      ], 60_000);
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, /from 1 peer/);
      await sameTree(payload.root, `${dir}/dl/tracks`);
    } finally {
      await seed.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
