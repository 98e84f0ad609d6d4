/**
 * Fuzzes parseMetainfo (fixed seed, bounded iterations) with valid torrents whose values were
 * swapped for hostile ones (wrong types, negative or huge numbers, unsafe path elements) or
 * whose bytes were mutated. Each input must give a Metainfo that keeps every invariant, or a
 * MetainfoError — never another exception, never a path outside the folder.
 */
import assert from "node:assert/strict";
import { type BencodeInput, encodeBencode } from "../../src/bencode/encode_bencode.ts";
import { MetainfoError } from "../../src/metainfo/metainfo_error.ts";
import { parseMetainfo } from "../../src/metainfo/parse_metainfo.ts";
import { isSafeRelativePath } from "../../src/metainfo/sanitize_path.ts";
import type { Metainfo } from "../../src/metainfo/types.ts";
import { toHex } from "../../src/util/bytes.ts";
import { seededRandom } from "../support/fuzz.ts";

type Node = BencodeInput;
type Dict = { [key: string]: Node };

const { int } = seededRandom(0x7e57);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];

const SEEDS: Dict[] = [
  { info: { name: "single", "piece length": 16384, length: 40000, pieces: "x".repeat(60) } },
  {
    announce: "http://t/a",
    "announce-list": [["http://t/a", "udp://u:1"], ["http://v/"]],
    info: {
      name: "multi",
      "piece length": 16384,
      files: [
        { length: 100, path: ["a", "b.txt"] },
        { length: 16284, path: [".pad", "16284"], attr: "p" },
        { length: 20000, path: ["A", "B.TXT"] },
        { length: 0, path: ["link"], attr: "l", "symlink path": ["a", "b.txt"] },
      ],
      pieces: "y".repeat(60),
      private: 1,
    },
  },
  {
    info: {
      "file tree": { a: { "": { length: 16384 } }, b: { "": { length: 10 } } },
      files: [{ length: 16384, path: ["a"] }, { length: 10, path: ["b"] }],
      "meta version": 2,
      name: "hybrid",
      "piece length": 16384,
      pieces: "z".repeat(40),
    },
  },
];

const HOSTILE: Node[] = [
  -1,
  0,
  1,
  2 ** 53 - 1,
  -(2 ** 53 - 1),
  "",
  ".",
  "..",
  "/",
  "/etc/passwd",
  "a\0b",
  "C:",
  "\\",
  "x".repeat(61),
  [],
  [".."],
  ["..", "..", "x"],
  [1],
  {},
  { "": {} },
  new Uint8Array([0xff, 0xfe]),
];

/** Every [parent, key] in the tree, so one can be replaced or removed. */
function slots(node: Node, out: [Dict | Node[], string | number][] = []) {
  if (Array.isArray(node)) {
    node.forEach((child, i) => {
      out.push([node as Node[], i]);
      slots(child, out);
    });
  } else if (typeof node === "object" && !(node instanceof Uint8Array)) {
    for (const [key, child] of Object.entries(node)) {
      out.push([node as Dict, key]);
      slots(child as Node, out);
    }
  }
  return out;
}

function mutateTree(seed: Dict): Uint8Array {
  const tree = structuredClone(seed);
  for (let n = 1 + int(3); n > 0; n--) {
    const all = slots(tree);
    if (all.length === 0) break;
    const [parent, key] = pick(all);
    if (int(5) === 0 && !Array.isArray(parent)) delete (parent as Dict)[key as string];
    else (parent as Record<string | number, Node>)[key] = structuredClone(pick(HOSTILE));
  }
  return encodeBencode(tree);
}

function mutateBytes(bytes: Uint8Array): Uint8Array {
  const b = [...bytes];
  const at = int(b.length);
  if (int(2) === 0) b[at] = int(256);
  else b.splice(at, 1 + int(3));
  return Uint8Array.from(b);
}

async function checkInvariants(m: Metainfo): Promise<void> {
  assert.ok(m.files.length > 0 && m.totalLength > 0);
  let offset = 0;
  for (const f of m.files) {
    assert.ok(isSafeRelativePath(f.path, { windows: false }), f.path.join("/"));
    assert.equal(f.offset, offset);
    assert.ok(Number.isSafeInteger(f.length) && f.length >= 0);
    offset += f.length;
  }
  assert.equal(offset, m.totalLength);
  assert.equal(m.pieceCount, Math.ceil(m.totalLength / m.pieceLength));
  assert.equal(m.pieceHashes.length, m.pieceCount * 20);
  const digest = await crypto.subtle.digest("SHA-1", new Uint8Array(m.infoBytes));
  assert.equal(m.infoHashHex, toHex(new Uint8Array(digest)));
  // No written file may overwrite another or sit where a folder must be.
  const written = m.files.filter((f) => !f.pad).map((f) => f.path.join("/").toLowerCase());
  const folders = new Set(
    m.files.flatMap((f) =>
      f.path.slice(0, -1).map((_, i) => f.path.slice(0, i + 1).join("/").toLowerCase())
    ),
  );
  assert.equal(new Set(written).size, written.length);
  for (const w of written) assert.ok(!folders.has(w), `file and folder ${w}`);
}

Deno.test("fuzz: parseMetainfo gives a sound Metainfo or a MetainfoError", async () => {
  const seedBytes = SEEDS.map((s) => encodeBencode(s));
  for (const bytes of seedBytes) {
    await checkInvariants(await parseMetainfo(bytes, { windows: false }));
  }
  let loaded = 0;
  let refused = 0;
  for (let i = 0; i < 4000; i++) {
    const input = i % 3 === 0 ? mutateBytes(pick(seedBytes)) : mutateTree(pick(SEEDS));
    let m: Metainfo;
    try {
      m = await parseMetainfo(input, { windows: false });
    } catch (e) {
      if (!(e instanceof MetainfoError)) {
        throw new Error(
          `non-MetainfoError for ${JSON.stringify(new TextDecoder().decode(input))}: ${e}`,
        );
      }
      assert.doesNotMatch(e.message, /[\r\n]/);
      refused++;
      continue;
    }
    await checkInvariants(m);
    loaded++;
  }
  assert.ok(loaded > 300 && refused > 300, `loaded ${loaded}, refused ${refused}`);
});
