import assert from "node:assert/strict";
import { encodeBencode } from "../../src/bencode/encode_bencode.ts";
import { formatMetainfo } from "../../src/metainfo/format_metainfo.ts";
import { parseMetainfo } from "../../src/metainfo/parse_metainfo.ts";

Deno.test("formatMetainfo shows every field, trackers by tier and files with sizes", async () => {
  const m = await parseMetainfo(
    encodeBencode({
      "announce-list": [["http://a/announce", "http://b/announce"], ["udp://c:80"]],
      comment: "first line\nsecond line",
      "created by": "mktorrent 1.1",
      "creation date": 1700000000,
      info: {
        name: "album",
        "piece length": 32768,
        pieces: new Uint8Array(20 * 52),
        private: 1,
        files: [
          { length: 1_572_864, path: ["disc 1", "01.flac"] },
          { length: 10, attr: "p", path: [".pad", "10"] },
          { length: 100_000, path: ["cover.jpg"] },
          { length: 0, attr: "l", path: ["latest"], "symlink path": ["disc 1", "01.flac"] },
        ],
      },
    }),
    { windows: false },
  );
  assert.equal(
    formatMetainfo(m),
    [
      "Name:        album",
      `Info-hash:   ${m.infoHashHex}`,
      "Size:        1.6 MiB (1672874 bytes)",
      "Pieces:      52 × 32.0 KiB",
      "Private:     yes (trackers only: no DHT, no peer exchange)",
      "Created by:  mktorrent 1.1",
      "Created on:  2023-11-14 22:13:20 UTC",
      "Comment:     first line",
      "             second line",
      "Trackers:",
      "  tier 1: http://a/announce",
      "          http://b/announce",
      "  tier 2: udp://c:80",
      "Files (3, plus 1 pad file not written):",
      "  [0]  1.5 MiB  album/disc 1/01.flac",
      "  [2] 97.7 KiB  album/cover.jpg",
      "  [3]      0 B  album/latest -> disc 1/01.flac",
    ].join("\n"),
  );
});

Deno.test("formatMetainfo escapes terminal control sequences from the torrent", async () => {
  const m = await parseMetainfo(
    encodeBencode({
      announce: "http://x/\u001b]0;pwned\u0007",
      comment: "\u001b[2J\u202eevil",
      info: { name: "one", "piece length": 16384, length: 5, pieces: new Uint8Array(20) },
    }),
    { windows: false },
  );
  const text = formatMetainfo(m);
  for (const c of ["\u001b", "\u0007", "\u202e"]) assert.ok(!text.includes(c));
  assert.match(text, /Comment: {5}\\u\{1b\}\[2J\\u\{202e\}evil/);
  assert.match(text, /Trackers: {4}none|tier 1: http:\/\/x\/\\u\{1b\}\]0;pwned\\u\{7\}/);
  assert.match(text, /Private: {5}no/);
  assert.match(text, /Files \(1\):\n {2}\[0\] 5 B {2}one$/);
  assert.doesNotMatch(text, /Created/);
});
