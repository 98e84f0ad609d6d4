/**
 * A magnet link with only `xt` and `x.pe` (no trackers, no DHT) pointing at a real libtorrent
 * seed: our client fetches the metadata over ut_metadata (two metadata pieces, the last one
 * short), verifies it, saves it as `.<infohash>.torrent`, and downloads the files. A second run
 * whose `x.pe` is a dead port needs no peer at all: it loads the saved torrent and finds the
 * data complete.
 */
import assert from "node:assert/strict";
import { toMagnet } from "../../src/metainfo/magnet.ts";
import { parseMetainfo } from "../../src/metainfo/parse_metainfo.ts";
import { startLibtorrent } from "../support/libtorrent.ts";
import { runOurClient } from "../support/our_client.ts";
import { makePayload, makeTorrent, multiFileSpec, sameTree } from "../support/payload.ts";
import { freePort } from "../support/process.ts";

Deno.test("magnet with x.pe: metadata from libtorrent, download, and a restart from the saved torrent", async () => {
  const dir = await Deno.makeTempDir({ prefix: "magnet-lt-" });
  try {
    // ~27 MB in 32 KiB pieces: 833 piece hashes make an info dict of two metadata pieces.
    const payload = await makePayload(`${dir}/seed`, multiFileSpec("album", 17, 21));
    const torrent = await makeTorrent(payload.root, {
      pieceLength: 32768,
      out: `${dir}/album.torrent`,
    });
    const original = await parseMetainfo(await Deno.readFile(torrent.path));
    assert.ok(original.infoBytes.length > 16384, `info dict of ${original.infoBytes.length} B`);
    assert.deepEqual(original.announceTiers, [], "the torrent must have no tracker");

    const seed = await startLibtorrent({ torrent: torrent.path, dir: `${dir}/seed`, mode: "seed" });
    const out = `${dir}/dl`;
    const savedPath = `${out}/.${torrent.infoHashHex}.torrent`;
    try {
      const magnet = `${toMagnet(original)}&x.pe=127.0.0.1:${seed.port}`;
      const run = await runOurClient(
        [magnet, "--no-tui", "--out", out, "--port", "0", "--no-dht", "--give-up", "20", "-v"],
        60_000,
      );
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, /fetching metadata for [0-9a-f]{40}/);
      assert.match(
        run.output,
        new RegExp(`connected to 127\\.0\\.0\\.1:${seed.port} .*for metadata`),
      );
      assert.match(run.output, /metadata fetched and verified: album/);
      assert.match(run.output, /done: album/);
      await sameTree(payload.root, `${out}/album`);

      // The saved torrent holds exactly the info dict libtorrent served.
      const saved = await parseMetainfo(await Deno.readFile(savedPath));
      assert.equal(saved.infoHashHex, torrent.infoHashHex);
      assert.deepEqual(saved.infoBytes, original.infoBytes);
    } finally {
      await seed.stop();
    }

    // Second run: the only peer is a dead port, yet the saved torrent and the data suffice.
    const dead = freePort();
    const again = await runOurClient(
      [
        `${toMagnet(original)}&x.pe=127.0.0.1:${dead}`,
        "--no-tui",
        "--out",
        out,
        "--port",
        "0",
        "--no-dht",
        "--give-up",
        "3",
        "-v",
      ],
      30_000,
    );
    assert.equal(again.code, 0, again.output);
    assert.doesNotMatch(again.output, /fetching metadata/);
    assert.match(again.output, /833 of 833 pieces verified/);
    assert.match(again.output, /done: album/);
    await sameTree(payload.root, `${out}/album`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
