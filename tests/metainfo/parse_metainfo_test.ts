import assert from "node:assert/strict";
import { type BencodeInput, encodeBencode } from "../../src/bencode/encode_bencode.ts";
import { MetainfoError } from "../../src/metainfo/metainfo_error.ts";
import { parseMetainfo } from "../../src/metainfo/parse_metainfo.ts";
import { isSafeRelativePath } from "../../src/metainfo/sanitize_path.ts";
import { toHex } from "../../src/util/bytes.ts";

type Dict = { [key: string]: BencodeInput | undefined };
const enc = (s: string) => new TextEncoder().encode(s);
const posix = { windows: false };
/** Web Crypto directly, independent of the code under test. */
const sha = async (b: Uint8Array) =>
  new Uint8Array(await crypto.subtle.digest("SHA-1", new Uint8Array(b)));

/** A valid info dict: `pieces` is sized for the files and piece length given. */
function info(fields: Dict = {}): Dict {
  const base: Dict = { name: "t", "piece length": 16384, length: 40000, ...fields };
  if ("pieces" in fields) return base;
  const files = Array.isArray(base.files) ? base.files as { length?: unknown }[] : undefined;
  const lengths = files ? files.map((f) => f.length) : [base.length];
  const total = lengths.reduce((n: number, l) => n + (typeof l === "number" && l > 0 ? l : 0), 0);
  const pieceLength = base["piece length"];
  const pieces = typeof pieceLength === "number" && pieceLength > 0 && pieceLength < 2 ** 31
    ? Math.ceil(total / pieceLength)
    : 0;
  return { pieces: new Uint8Array(20 * pieces), ...base };
}

const torrent = (infoDict: Dict, root: Dict = {}) => encodeBencode({ info: infoDict, ...root });
const parse = (bytes: Uint8Array) => parseMetainfo(bytes, posix);

async function refused(bytes: Uint8Array, message: RegExp): Promise<void> {
  await assert.rejects(parse(bytes), (e: unknown) => {
    assert.ok(e instanceof MetainfoError, `expected MetainfoError, got ${e}`);
    assert.match(e.message, message);
    assert.doesNotMatch(e.message, /[\r\n]/);
    return true;
  });
}

Deno.test("single-file torrent", async () => {
  const bytes = torrent(info({ private: 1 }), {
    announce: "http://tracker/announce",
    comment: "hello",
    "created by": "tests",
    "creation date": 1700000000,
  });
  const m = await parse(bytes);
  assert.equal(m.name, "t");
  assert.equal(m.multiFile, false);
  assert.equal(m.totalLength, 40000);
  assert.equal(m.pieceLength, 16384);
  assert.equal(m.pieceCount, 3);
  assert.equal(m.pieceHashes.length, 60);
  assert.deepEqual(m.files, [{ path: ["t"], length: 40000, offset: 0, pad: false }]);
  assert.deepEqual(m.announceTiers, [["http://tracker/announce"]]);
  assert.equal(m.private, true);
  assert.equal(m.comment, "hello");
  assert.equal(m.createdBy, "tests");
  assert.equal(m.creationDate, 1700000000);
  const expectedHash = await sha(encodeBencode(info({ private: 1 })));
  assert.equal(m.infoHashHex, toHex(expectedHash));
  assert.deepEqual(m.infoHash, expectedHash);
  assert.deepEqual(m.infoBytes, encodeBencode(info({ private: 1 })));
});

Deno.test("multi-file torrent: paths under the name folder, offsets, total", async () => {
  const m = await parse(torrent(info({
    files: [
      { length: 10, path: ["a", "x.bin"] },
      { length: 0, path: ["empty"] },
      { length: 20000, path: ["b.bin"] },
    ],
  })));
  assert.equal(m.multiFile, true);
  assert.equal(m.totalLength, 20010);
  assert.equal(m.pieceCount, 2);
  assert.deepEqual(m.files.map((f) => [f.path.join("/"), f.length, f.offset]), [
    ["t/a/x.bin", 10, 0],
    ["t/empty", 0, 10],
    ["t/b.bin", 20000, 10],
  ]);
  assert.equal(m.private, false);
  assert.deepEqual(m.announceTiers, []);
});

Deno.test("the info-hash covers the raw info bytes, even with unsorted keys", async () => {
  const raw = "d4:name1:t12:piece lengthi16384e6:lengthi5e6:pieces20:" + "x".repeat(20) + "e";
  const m = await parse(enc(`d4:info${raw}e`));
  assert.equal(m.infoHashHex, toHex(await sha(enc(raw))));
  const reencoded = encodeBencode(info({ length: 5, pieces: enc("x".repeat(20)) }));
  assert.notEqual(m.infoHashHex, toHex(await sha(reencoded)));
});

Deno.test("announce-list tiers win over announce; blanks, repeats and non-UTF-8 are dropped", async () => {
  const m = await parse(torrent(info(), {
    announce: "http://ignored/announce",
    "announce-list": [
      ["http://a/announce", " udp://b:80 \n", ""],
      [],
      ["http://a/announce", new Uint8Array([0xff]), 42],
      ["udp://c:1"],
      "not a tier",
    ],
  }));
  assert.deepEqual(m.announceTiers, [["http://a/announce", "udp://b:80"], ["udp://c:1"]]);
  const single = await parse(
    torrent(info(), { announce: "\t udp://test.com/announce", "announce-list": [[]] }),
  );
  assert.deepEqual(single.announceTiers, [["udp://test.com/announce"]]);
});

Deno.test("BEP 47 pad files and symlinks", async () => {
  const m = await parse(torrent(info({
    files: [
      { length: 100, path: ["a"] },
      { length: 16284, path: [".pad", "16284"], attr: "p" },
      { length: 5, attr: "p" },
      { length: 7, path: ["_____padding_file_0"] },
      { length: 999, attr: "l", path: ["link"], "symlink path": ["..", "a"] },
      { length: 1, path: ["b"] },
    ],
  })));
  assert.deepEqual(m.files.map((f) => [f.path.join("/"), f.pad, f.offset, f.length]), [
    ["t/a", false, 0, 100],
    ["t/.pad/16284", true, 100, 16284],
    [".pad/5", true, 16384, 5],
    ["t/_____padding_file_0", true, 16389, 7],
    ["t/link", false, 16396, 0],
    ["t/b", false, 16396, 1],
  ]);
  assert.deepEqual(m.files[4].symlinkTarget, ["a"]);
  assert.equal(m.totalLength, 16397);
});

Deno.test("name.utf-8 and path.utf-8 are preferred; other text that is not UTF-8 shows U+FFFD", async () => {
  const m = await parse(torrent(
    info({
      name: new Uint8Array([0xe9, 0x74, 0xe9]),
      "name.utf-8": "été",
      files: [{ length: 3, path: [new Uint8Array([0xe0])], "path.utf-8": ["à"] }],
    }),
    { comment: new Uint8Array([0x6f, 0x6b, 0xff]) },
  ));
  assert.equal(m.name, "été");
  assert.deepEqual(m.files[0].path, ["été", "à"]);
  assert.equal(m.comment, "ok\uFFFD");
});

Deno.test("a multi-file name that sanitizes to nothing becomes the info-hash", async () => {
  const m = await parse(torrent(info({ name: "..", files: [{ length: 3, path: ["x"] }] })));
  assert.equal(m.name, m.infoHashHex);
  assert.deepEqual(m.files[0].path, [m.infoHashHex, "x"]);
});

Deno.test("unsafe paths are sanitized to stay inside the folder", async () => {
  const evil = [
    ["..", "..", "etc", "passwd"],
    ["/etc/passwd"],
    ["a/../../b"],
    ["\\..\\windows"],
    [".", ""],
    ["nul\0byte"],
    ["C:", "x"],
  ];
  for (const windows of [false, true]) {
    const m = await parseMetainfo(
      torrent(info({ name: "../up", files: evil.map((path) => ({ length: 1, path })) })),
      { windows },
    );
    assert.equal(m.name, "..up");
    for (const f of m.files) assert.ok(isSafeRelativePath(f.path, { windows }), f.path.join("/"));
    assert.equal(new Set(m.files.map((f) => f.path.join("/").toLowerCase())).size, evil.length);
  }
});

Deno.test("whitespace after the torrent is tolerated, other trailing bytes are not", async () => {
  const bytes = torrent(info());
  await parse(new Uint8Array([...bytes, 0x0a, 0x0d, 0x20]));
  await refused(new Uint8Array([...bytes, 0x78]), /trailing data/);
});

Deno.test("hybrid v1+v2 torrents load when both file lists agree", async () => {
  const tree = { a: { "": { length: 16384 } }, b: { "": { length: 100 } } };
  const files = [{ length: 16384, path: ["a"] }, { length: 100, path: ["b"] }];
  const m = await parse(torrent(info({ "meta version": 2, "file tree": tree, files })));
  assert.equal(m.files.length, 2);
  await refused(
    torrent(
      info({ "meta version": 2, "file tree": { ...tree, b: { "": { length: 99 } } }, files }),
    ),
    /v1 and v2 file lists differ/,
  );
  const unaligned = [{ length: 100, path: ["a"] }, { length: 100, path: ["b"] }];
  const tree2 = { a: { "": { length: 100 } }, b: { "": { length: 100 } } };
  await refused(
    torrent(info({ "meta version": 2, "file tree": tree2, files: unaligned })),
    /piece boundary/,
  );
  const padded = [
    unaligned[0],
    { length: 16284, path: [".pad", "16284"], attr: "p" },
    unaligned[1],
  ];
  await parse(torrent(info({ "meta version": 2, "file tree": tree2, files: padded })));
});

const cases: [string, Uint8Array, RegExp][] = [
  ["empty input", new Uint8Array(), /not a torrent file/],
  ["not bencode", enc("<html>"), /not a torrent file/],
  ["a list", enc("le"), /not a bencoded dict/],
  ["no info", torrent(undefined as unknown as Dict), /'info'/],
  ["info is a string", encodeBencode({ info: "x" }), /'info'/],
  ["no name", torrent(info({ name: undefined })), /'name'/],
  ["name is an integer", torrent(info({ name: 5 })), /'name'/],
  ["empty single-file name", torrent(info({ name: "" })), /'name'/],
  ["single-file name that sanitizes away", torrent(info({ name: "/" })), /name/],
  ["no piece length", torrent(info({ "piece length": undefined })), /'piece length'/],
  ["piece length 0", torrent(info({ "piece length": 0, pieces: "" })), /'piece length'/],
  ["negative piece length", torrent(info({ "piece length": -16384 })), /'piece length'/],
  ["piece length as text", torrent(info({ "piece length": "16384" })), /'piece length'/],
  [
    "piece length 2 GiB",
    torrent(info({ "piece length": 2 ** 31, pieces: "x".repeat(20) })),
    /'piece length'/,
  ],
  ["no pieces", torrent(info({ pieces: undefined })), /'pieces'/],
  ["pieces is an integer", torrent(info({ pieces: -23 })), /'pieces'/],
  [
    "pieces not a multiple of 20",
    torrent(info({ pieces: "x".repeat(61) })),
    /'pieces' has 61 bytes, expected 60/,
  ],
  ["too few pieces", torrent(info({ pieces: "x".repeat(40) })), /expected 60/],
  ["no length", torrent(info({ length: undefined, pieces: "" })), /'length'/],
  ["negative length", torrent(info({ length: -425, pieces: "" })), /'length'/],
  ["length as a list", torrent(info({ length: [45], pieces: "" })), /'length'/],
  ["total size 0", torrent(info({ length: 0 })), /no content/],
  [
    "length beyond 2^53",
    enc("d4:infod6:lengthi99999999999999999999e4:name1:t12:piece lengthi1eee"),
    /safe range/,
  ],
  [
    "total beyond 2^53",
    torrent(
      info({
        files: [{ length: 2 ** 52, path: ["a"] }, { length: 2 ** 52, path: ["b"] }],
        pieces: "",
      }),
    ),
    /too large/,
  ],
  ["empty file list", torrent(info({ files: [] })), /no files/],
  ["file is not a dict", torrent(info({ files: ["x"], pieces: "" })), /files\[0\] is not a dict/],
  [
    "file without length",
    torrent(info({ files: [{ path: ["a"] }], pieces: "" })),
    /files\[0\].*'length'/,
  ],
  [
    "negative file length",
    torrent(info({ files: [{ length: -45, path: ["a"] }] })),
    /files\[0\].*'length'/,
  ],
  ["file without path", torrent(info({ files: [{ length: 5 }] })), /files\[0\] has no 'path'/],
  [
    "path element not a string",
    torrent(info({ files: [{ length: 5, path: [1, "a"] }] })),
    /not a string/,
  ],
  ["v2-only", torrent(info({ "meta version": 2, pieces: undefined })), /v2-only/],
  ["unknown meta version", torrent(info({ "meta version": 3 })), /meta version/],
  ["hybrid without file tree", torrent(info({ "meta version": 2 })), /file tree/],
  ["duplicate keys", enc("d4:infod4:name1:t4:name1:uee"), /duplicate dict key/],
  ["too deep", enc("d4:info" + "l".repeat(200) + "e".repeat(200) + "e"), /nesting/],
];

for (const [label, bytes, message] of cases) {
  Deno.test(`refused with MetainfoError: ${label}`, () => refused(bytes, message));
}

Deno.test("refused with MetainfoError: every truncation of a valid torrent", async () => {
  const bytes = torrent(info({ files: [{ length: 5, path: ["a"] }] }), { announce: "http://x/" });
  for (let end = 0; end < bytes.length; end++) {
    await refused(bytes.subarray(0, end), /./);
  }
});
