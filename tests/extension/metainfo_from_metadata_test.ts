/**
 * Rebuilding a torrent around fetched metadata: the info bytes stay byte for byte (so the
 * info-hash holds even for unsorted keys), trackers become announce / announce-list, and the
 * written .torrent parses back to the same torrent.
 */
import assert from "node:assert/strict";
import { decodeBencode } from "../../src/bencode/decode_bencode.ts";
import { encodeBencode } from "../../src/bencode/encode_bencode.ts";
import type { BencodeDict } from "../../src/bencode/bencode_value.ts";
import { ExtensionError } from "../../src/extension/extension_error.ts";
import { metainfoFromInfoDict } from "../../src/extension/metainfo_from_metadata.ts";
import { parseMagnet } from "../../src/metainfo/magnet.ts";
import { MetainfoError } from "../../src/metainfo/metainfo_error.ts";
import { parseMetainfo } from "../../src/metainfo/parse_metainfo.ts";
import { sha1, toHex } from "../../src/util/bytes.ts";
import { syntheticTorrent } from "../support/synthetic_torrent.ts";

const text = (s: string) => new TextEncoder().encode(s);

Deno.test("a magnet's metadata becomes a torrent with the magnet's info-hash and trackers", async () => {
  const source = await syntheticTorrent("album", [
    { path: "album/a.bin", length: 40_000 },
    { path: "album/b/c.bin", length: 70_000 },
  ], 32768);
  const infoBytes = source.metainfo.infoBytes;
  const magnet = parseMagnet(
    `magnet:?xt=urn:btih:${source.metainfo.infoHashHex}` +
      "&tr=udp%3A%2F%2Ft1.example%3A1337&tr=http%3A%2F%2Ft2.example%2Fannounce",
  );
  const { metainfo, torrentBytes } = await metainfoFromInfoDict(
    infoBytes,
    magnet.trackers.map((url) => [url]),
  );
  assert.equal(metainfo.infoHashHex, magnet.infoHashHex);
  assert.deepEqual(metainfo.infoBytes, infoBytes);
  assert.deepEqual(metainfo.files, source.metainfo.files);
  assert.deepEqual(metainfo.announceTiers, [["udp://t1.example:1337"], [
    "http://t2.example/announce",
  ]]);
  const root = decodeBencode(torrentBytes) as BencodeDict;
  assert.equal(new TextDecoder().decode(root.announce as Uint8Array), "udp://t1.example:1337");
  // The saved file is a torrent on its own: reading it back needs no peer.
  const reread = await parseMetainfo(torrentBytes);
  assert.equal(reread.infoHashHex, magnet.infoHashHex);
  assert.deepEqual(reread.announceTiers, metainfo.announceTiers);
});

Deno.test("info bytes are embedded unchanged: unsorted keys keep their info-hash", async () => {
  // Keys out of order; re-encoding would sort them and change the hash.
  const infoBytes = encodeBencode({ pieces: new Uint8Array(20) }).subarray(0, -1);
  const unsorted = new Uint8Array([
    ...infoBytes,
    ...text("4:name5:x.bin12:piece lengthi16384e6:lengthi100ee"),
  ]);
  const { metainfo, torrentBytes } = await metainfoFromInfoDict(unsorted, []);
  assert.equal(metainfo.infoHashHex, toHex(await sha1(unsorted)));
  assert.deepEqual(metainfo.announceTiers, []);
  const root = decodeBencode(torrentBytes) as BencodeDict;
  assert.deepEqual(Object.keys(root), ["info"], "no tracker: no announce keys");
});

Deno.test("tiers: empty tiers and URLs dropped, first URL is announce; extras written", async () => {
  const { torrentBytes, metainfo } = await metainfoFromInfoDict(
    (await syntheticTorrent("x", [{ path: "x", length: 1000 }], 16384)).metainfo.infoBytes,
    [[], ["", "http://a/announce", "http://b/announce"], ["udp://c:1"]],
    { comment: "from a magnet link", createdBy: "bittorrent-ts", creationDate: 1_700_000_000 },
  );
  const root = decodeBencode(torrentBytes) as BencodeDict;
  assert.equal(new TextDecoder().decode(root.announce as Uint8Array), "http://a/announce");
  assert.deepEqual(metainfo.announceTiers, [
    ["http://a/announce", "http://b/announce"],
    ["udp://c:1"],
  ]);
  assert.equal(metainfo.comment, "from a magnet link");
  assert.equal(metainfo.createdBy, "bittorrent-ts");
  assert.equal(metainfo.creationDate, 1_700_000_000);
});

Deno.test("bytes that are not one bencoded dict throw ExtensionError; a bad torrent MetainfoError", async () => {
  for (const bad of ["", "i1e", "le", "d1:ai1ee4:info", "d1:ai1e", "de "]) {
    await assert.rejects(metainfoFromInfoDict(text(bad), []), ExtensionError, JSON.stringify(bad));
  }
  await assert.rejects(metainfoFromInfoDict(text("d4:name1:xe"), []), MetainfoError);
});
