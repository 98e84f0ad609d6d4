import assert from "node:assert/strict";
import { encodeBencode } from "../../src/bencode/encode_bencode.ts";
import { parseMetainfo } from "../../src/metainfo/parse_metainfo.ts";
import {
  dedupePaths,
  isSafeRelativePath,
  sanitizePath,
  sanitizePathComponent,
} from "../../src/metainfo/sanitize_path.ts";
import { libtorrentInfo } from "./inspect_torrent.ts";

const posix = { windows: false };
const windows = { windows: true };

Deno.test("sanitizePathComponent drops separators and dot-only elements", () => {
  assert.equal(sanitizePathComponent("foo/../bar", posix), "foo..bar");
  assert.equal(sanitizePathComponent("a\\b", posix), "ab");
  assert.equal(sanitizePathComponent("..", posix), "");
  assert.equal(sanitizePathComponent(".", posix), "");
  assert.equal(sanitizePathComponent("/", posix), "");
  assert.equal(sanitizePathComponent("//..", posix), "");
  assert.equal(sanitizePathComponent("", posix), "_");
  assert.equal(sanitizePathComponent("...", posix), "...");
  assert.equal(sanitizePathComponent(".hidden", posix), ".hidden");
});

Deno.test("sanitizePathComponent replaces control characters and strips bidi marks", () => {
  assert.equal(sanitizePathComponent("a\0b\nc", posix), "a_b_c");
  assert.equal(sanitizePathComponent("photo\u202egpj.exe", posix), "photogpj.exe");
});

Deno.test("sanitizePathComponent turns invalid UTF-8 into _ and keeps valid UTF-8", () => {
  assert.equal(sanitizePathComponent(new Uint8Array([0x61, 0xff, 0x62]), posix), "a_b");
  assert.equal(sanitizePathComponent(new TextEncoder().encode("café ☕"), posix), "café ☕");
});

Deno.test("sanitizePathComponent cuts long elements to 240 bytes, keeping the extension", () => {
  const long = sanitizePathComponent("x".repeat(300) + ".mkv", posix);
  assert.equal(long, "x".repeat(240) + ".mkv");
  const noExt = sanitizePathComponent("y".repeat(300), posix);
  assert.equal(noExt, "y".repeat(240));
  const wide = sanitizePathComponent("é".repeat(200), posix);
  assert.equal(new TextEncoder().encode(wide).length, 240);
});

Deno.test("Windows rules: reserved characters, device names, trailing dots", () => {
  assert.equal(sanitizePathComponent("C:", windows), "C_");
  assert.equal(sanitizePathComponent('a<b>c"d|e?f*g', windows), "a_b_c_d_e_f_g");
  assert.equal(sanitizePathComponent("CON", windows), "_CON");
  assert.equal(sanitizePathComponent("nul.txt", windows), "_nul.txt");
  assert.equal(sanitizePathComponent("console", windows), "console");
  assert.equal(sanitizePathComponent("name. . ", windows), "name");
  assert.equal(sanitizePathComponent(" .", windows), "");
  assert.equal(sanitizePathComponent("C:", posix), "C:");
});

Deno.test("sanitizePath never returns an empty or escaping path", () => {
  assert.deepEqual(sanitizePath(["..", "..", "etc", "passwd"], posix), ["etc", "passwd"]);
  assert.deepEqual(sanitizePath([".", ".."], posix), ["_"]);
  assert.deepEqual(sanitizePath(["a", "", "b"], posix), ["a", "_", "b"]);
  assert.deepEqual(sanitizePath(["/etc/passwd"], posix), ["etcpasswd"]);
});

Deno.test("isSafeRelativePath", () => {
  assert.ok(isSafeRelativePath(["a", "b"], posix));
  for (const bad of [[], [""], ["."], [".."], ["a/b"], ["a\\b"], ["a\0"]]) {
    assert.ok(!isSafeRelativePath(bad, posix), JSON.stringify(bad));
  }
  assert.ok(isSafeRelativePath(["c:"], posix));
  assert.ok(!isSafeRelativePath(["c:"], windows));
});

Deno.test("dedupePaths renames repeats, case-insensitively, and files that are folders", () => {
  const file = (...path: string[]) => ({ path, length: 1, pad: false });
  assert.deepEqual(
    dedupePaths([
      file("t", "a.txt"),
      file("t", "A.TXT"),
      file("t", "a.txt"),
      file("t", "d"),
      file("t", "d", "x"),
      file("t", ".hidden"),
      file("t", ".hidden"),
    ]),
    [
      ["t", "a.txt"],
      ["t", "A.1.TXT"],
      ["t", "a.2.txt"],
      ["t", "d.1"],
      ["t", "d", "x"],
      ["t", ".hidden"],
      ["t", ".1.hidden"],
    ],
  );
  const pad = (length: number) => ({ path: [".pad", "0"], length, pad: true });
  assert.deepEqual(dedupePaths([pad(5), pad(5), pad(6)]), [
    [".pad", "0"],
    [".pad", "0"],
    [".pad", "0.1"],
  ]);
});

Deno.test("dedupePaths stays fast with many identical names", () => {
  const files = Array.from(
    { length: 20_000 },
    () => ({ path: ["t", "same.bin"], length: 1, pad: false }),
  );
  const paths = dedupePaths(files);
  assert.equal(new Set(paths.map((p) => p.join("/"))).size, files.length);
  assert.deepEqual(paths[19_999], ["t", "same.19999.bin"]);
});

/** Odd path lists that libtorrent's rules handle in specific ways. */
const ODD_PATHS: (string | Uint8Array)[][] = [
  ["A.txt"],
  ["a.txt"],
  ["a.TXT"],
  ["dir"],
  ["dir", "inner"],
  ["ctl\x01\x7f"],
  ["bidi\u202etxt.exe"],
  ["x".repeat(300) + ".mkv"],
  ["é".repeat(200)],
  [new Uint8Array([0x62, 0xff, 0xfe, 0x41])],
  [new Uint8Array([0xe2, 0x82])], // truncated sequence
  [new Uint8Array([0xc0, 0xaf])], // overlong "/"
  [new Uint8Array([0xed, 0xa0, 0x80])], // UTF-16 surrogate
  [new Uint8Array([0xf4, 0x90, 0x80, 0x80])], // beyond U+10FFFF
  ["\u{1F600}".repeat(70)],
  ["b".repeat(250) + ".tar.gz"],
  ["..."],
  [" "],
  ["trail."],
  ["a", "", "b"],
  [".", "..", "up"],
  ["x"],
  ["x"],
  ["x.1"],
  [".hidden"],
  [".hidden"],
  ["café", "naïve.txt"],
];

Deno.test("odd paths land where libtorrent puts them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const info = {
      files: ODD_PATHS.map((path) => ({ length: 1, path })),
      name: "odd",
      "piece length": 16384,
      pieces: new Uint8Array(20),
    };
    const bytes = encodeBencode({ info });
    await Deno.writeFile(`${dir}/odd.torrent`, bytes);
    const [ours, theirs] = await Promise.all([
      parseMetainfo(bytes, posix),
      libtorrentInfo(`${dir}/odd.torrent`),
    ]);
    assert.deepEqual(ours.files.map((f) => f.path.join("/")), theirs.files.map((f) => f.path));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
