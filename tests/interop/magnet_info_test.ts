/**
 * `mod.ts info <magnet>`: the metadata comes from a real libtorrent seed (the library call
 * `fetchMetainfo` underneath), and is printed like a .torrent's.
 */
import assert from "node:assert/strict";
import { toMagnet } from "../../src/metainfo/magnet.ts";
import { parseMetainfo } from "../../src/metainfo/parse_metainfo.ts";
import { startLibtorrent } from "../support/libtorrent.ts";
import { runOurClient } from "../support/our_client.ts";
import { makePayload, makeTorrent, multiFileSpec } from "../support/payload.ts";
import { freePort } from "../support/process.ts";

Deno.test("info on a magnet link fetches the metadata from libtorrent and lists the files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "magnet-info-" });
  try {
    const payload = await makePayload(`${dir}/seed`, multiFileSpec("songs", 1, 3));
    const torrent = await makeTorrent(payload.root, {
      pieceLength: 32768,
      out: `${dir}/s.torrent`,
    });
    const metainfo = await parseMetainfo(await Deno.readFile(torrent.path));
    const seed = await startLibtorrent({ torrent: torrent.path, dir: `${dir}/seed`, mode: "seed" });
    try {
      const magnet = `${toMagnet(metainfo)}&x.pe=127.0.0.1:${seed.port}`;
      const fromMagnet = await runOurClient(
        ["info", magnet, "--no-dht", "--give-up", "20"],
        30_000,
      );
      const fromFile = await runOurClient(["info", torrent.path], 30_000);
      assert.equal(fromMagnet.code, 0, fromMagnet.output);
      // The same listing as the .torrent's, but for what lives outside the info dict.
      const inside = (text: string) => text.replace(/^Created by:.*\n/m, "");
      assert.equal(inside(fromMagnet.output), inside(fromFile.output));
      assert.match(fromMagnet.output, new RegExp(metainfo.infoHashHex));
      assert.match(fromMagnet.output, /disc 1\/01 intro\.flac/);
    } finally {
      await seed.stop();
    }
    const nobody = await runOurClient(
      ["info", `${toMagnet(metainfo)}&x.pe=127.0.0.1:${freePort()}`, "--no-dht", "--give-up", "2"],
      30_000,
    );
    assert.equal(nobody.code, 1);
    assert.match(nobody.output, /^error: no peer reachable for 2 s/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
