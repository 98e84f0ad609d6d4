/**
 * The magnet links `mod.ts magnet <file.torrent>` writes, read by other clients: libtorrent's
 * `parse_magnet_uri` finds the same info-hash, name and trackers (every tier, in order, with
 * awkward characters), ours reads libtorrent's `make_magnet_uri` the same way, and aria2 given
 * our link (HTTP tracker only) fetches the metadata from a libtorrent seed and downloads.
 */
import assert from "node:assert/strict";
import { encodeBencode } from "../../src/bencode/encode_bencode.ts";
import { parseMagnet } from "../../src/metainfo/magnet.ts";
import { parseMetainfo } from "../../src/metainfo/parse_metainfo.ts";
import { runAria2Magnet } from "../support/aria2_magnet.ts";
import { startLibtorrent } from "../support/libtorrent.ts";
import { libtorrentMagnetOf, parseMagnetWithLibtorrent } from "../support/libtorrent_magnet.ts";
import { startOpentracker } from "../support/opentracker.ts";
import { runOurClient } from "../support/our_client.ts";
import { makePayload, makeTorrent, multiFileSpec, sameTree } from "../support/payload.ts";

/** The magnet line of `mod.ts magnet` (Deno may print other lines, e.g. npm downloads). */
async function ourMagnet(torrentPath: string): Promise<string> {
  const run = await runOurClient(["magnet", torrentPath], 30_000);
  assert.equal(run.code, 0, run.output);
  const line = run.output.split("\n").find((l) => l.startsWith("magnet:?"));
  assert.ok(line, `no magnet link in:\n${run.output}`);
  return line;
}

const TIERS = [
  ["http://127.0.0.1:6969/announce", "udp://127.0.0.1:6969/announce"],
  ["http://tracker.example:8080/announce?passkey=a%2Fb+c&x=1"],
  ["udp://[::1]:1337/announce", "https://t.example/a/b?c=d#e", "http://t.example/ü ñ"],
];

Deno.test("mod.ts magnet: libtorrent's parse_magnet_uri reads the same info-hash, name and trackers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "magnet-link-" });
  try {
    const info = {
      length: 100_000,
      name: "Ünïcode & co + 100% [x].bin",
      "piece length": 32768,
      pieces: new Uint8Array(4 * 20).fill(7),
    };
    const path = `${dir}/tiers.torrent`;
    await Deno.writeFile(
      path,
      encodeBencode({ announce: TIERS[0][0], "announce-list": TIERS, info }),
    );
    const metainfo = await parseMetainfo(await Deno.readFile(path));
    assert.deepEqual(metainfo.announceTiers, TIERS);

    const ours = await ourMagnet(path);
    const lt = await parseMagnetWithLibtorrent(ours);
    assert.equal(lt.infoHash, metainfo.infoHashHex);
    assert.equal(lt.name, info.name);
    assert.deepEqual(lt.trackers, TIERS.flat());
    // Ours reads it back the same way too.
    const back = parseMagnet(ours);
    assert.equal(back.infoHashHex, metainfo.infoHashHex);
    assert.equal(back.displayName, info.name);
    assert.deepEqual(back.trackers, TIERS.flat());
    assert.equal(back.exactLength, 100_000);

    // And the other way round: libtorrent's link for the same torrent, read by us.
    const theirs = parseMagnet(await libtorrentMagnetOf(path));
    assert.equal(theirs.infoHashHex, metainfo.infoHashHex);
    assert.equal(theirs.displayName, info.name);
    assert.deepEqual([...theirs.trackers].sort(), TIERS.flat().sort());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("aria2 downloads from a libtorrent seed given our magnet link with an HTTP tracker", async () => {
  const dir = await Deno.makeTempDir({ prefix: "magnet-aria2-" });
  try {
    const payload = await makePayload(`${dir}/seed`, multiFileSpec("album", 1, 31));
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
      const seed = await startLibtorrent({
        torrent: torrent.path,
        dir: `${dir}/seed`,
        mode: "seed",
      });
      try {
        await tracker.waitForPeer(probe.infoHashHex, seed.port, 15_000);
        const magnet = await ourMagnet(torrent.path);
        assert.deepEqual(parseMagnet(magnet).trackers, [tracker.httpUrl]);
        const run = await runAria2Magnet(magnet, `${dir}/aria2`, 60_000);
        assert.equal(run.code, 0, run.output);
        await sameTree(payload.root, `${dir}/aria2/album`);
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
