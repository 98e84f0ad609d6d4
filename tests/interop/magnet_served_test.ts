/**
 * The other direction of BEP 9: our client seeds a torrent, and a real libtorrent started from a
 * magnet link with nothing but `xt` (and our address as its only peer) fetches the metadata from
 * us over ut_metadata — two metadata pieces, the last one short — and then the files.
 */
import assert from "node:assert/strict";
import { parseMetainfo } from "../../src/metainfo/parse_metainfo.ts";
import { startLibtorrentMagnet } from "../support/libtorrent.ts";
import { listeningPort, startOurClient } from "../support/our_client.ts";
import { makePayload, makeTorrent, multiFileSpec, sameTree } from "../support/payload.ts";
import { waitFor } from "../support/process.ts";

Deno.test("libtorrent fetches the metadata of a magnet link from our seed, then the files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "magnet-served-" });
  try {
    // ~27 MB in 32 KiB pieces: 833 piece hashes, an info dict of two metadata pieces.
    const payload = await makePayload(`${dir}/seed`, multiFileSpec("album", 17, 41));
    const torrent = await makeTorrent(payload.root, {
      pieceLength: 32768,
      out: `${dir}/album.torrent`,
    });
    const { infoBytes } = await parseMetainfo(await Deno.readFile(torrent.path));
    assert.ok(infoBytes.length > 16384, `info dict of ${infoBytes.length} B`);
    const ours = startOurClient([
      torrent.path,
      "--no-tui",
      "--out",
      `${dir}/seed`,
      "--port",
      "0",
      "--no-dht",
      "--seed",
      "-v",
    ]);
    try {
      const port = await listeningPort(ours, 15_000);
      await waitFor(() => /seeding; press Ctrl\+C/.test(ours.output()), {
        timeoutMs: 15_000,
        what: "our client to check its data and seed",
      });
      const leech = await startLibtorrentMagnet({
        magnet: `magnet:?xt=urn:btih:${torrent.infoHashHex}`,
        dir: `${dir}/lt`,
        peers: [`127.0.0.1:${port}`],
      });
      try {
        // We are its only peer, so the metadata can only come from us.
        await leech.waitForDone(30_000);
      } finally {
        await leech.stop();
      }
      await sameTree(payload.root, `${dir}/lt/album`);
      await waitFor(
        () => /connected to 127\.0\.0\.1:\d+ \(libtorrent[^)]*\), incoming/.test(ours.output()),
        {
          timeoutMs: 5_000,
          what: `our log to show libtorrent's connection:\n${ours.output()}`,
        },
      );
    } finally {
      await ours.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
