/**
 * Fuzzes the three extension decoders (extended handshake, ut_metadata, ut_pex) with mutated
 * valid messages and random token soup (fixed seed, bounded iterations): each input must decode
 * to a well-formed value or throw ExtensionError — never another exception. Inputs kept under
 * tests/data/fuzz/extension/ are replayed through every decoder.
 */
import assert from "node:assert/strict";
import {
  decodeExtendedHandshake,
  encodeExtendedHandshake,
} from "../../src/extension/extended_handshake.ts";
import { ExtensionError } from "../../src/extension/extension_error.ts";
import {
  decodeMetadataMessage,
  encodeMetadataMessage,
  MAX_METADATA_SIZE,
  metadataPieceLength,
} from "../../src/extension/ut_metadata.ts";
import {
  decodePexMessage,
  encodePexMessage,
  MAX_PEX_PEERS_DECODED,
  NO_PEX_FLAGS,
} from "../../src/extension/ut_pex.ts";
import { seededRandom } from "../support/fuzz.ts";

const { next: rand, int } = seededRandom(0xe10);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const text = (s: string) => new TextEncoder().encode(s);

const TOKENS = [
  "d",
  "e",
  "l",
  "i0e",
  "i-1e",
  "i256e",
  "i65536e",
  "i16777217e",
  "i9007199254740991e",
  "1:m",
  "1:p",
  "1:v",
  "4:reqq",
  "13:metadata_size",
  "6:yourip",
  "4:ipv4",
  "4:ipv6",
  "8:msg_type",
  "5:piece",
  "10:total_size",
  "5:added",
  "7:added.f",
  "6:added6",
  "8:added6.f",
  "7:dropped",
  "8:dropped6",
  "11:ut_metadata",
  "6:ut_pex",
  "4:\x7f\x00\x00\x01",
  "0:",
  "6:\x0a\x00\x00\x01\x1a\xe1",
  "9999999999:",
  "i03e",
  "x",
];

function mutate(input: Uint8Array): Uint8Array {
  const b = [...input];
  for (let n = 1 + int(3); n > 0; n--) {
    const at = int(b.length + 1);
    switch (int(6)) {
      case 0:
        b[at] = int(256);
        break;
      case 1:
        b.splice(at, 0, ...text(pick(TOKENS)));
        break;
      case 2:
        b.splice(at, 1 + int(4));
        break;
      case 3:
        b.splice(at, 0, ...b.slice(int(b.length), int(b.length) + 1 + int(8)));
        break;
      case 4:
        b.length = at;
        break;
      default:
        b[at] = pick([0x30, 0x39, 0x3a, 0x64, 0x65, 0x69, 0x6c, 0x2d]);
    }
  }
  return Uint8Array.from(b.filter((x) => x !== undefined));
}

function soup(): Uint8Array {
  return text(Array.from({ length: int(12) }, () => pick(TOKENS)).join(""));
}

/** Valid messages to mutate, by decoder. */
function seeds(): Record<string, Uint8Array[]> {
  const out: Record<string, Uint8Array[]> = { handshake: [], ut_metadata: [], ut_pex: [] };
  for (let i = 0; i < 20; i++) {
    out.handshake.push(encodeExtendedHandshake({
      m: { ut_metadata: 1 + int(255), ut_pex: int(256), lt_donthave: 7 },
      v: "client 1.0",
      p: 1 + int(65535),
      reqq: 1 + int(1000),
      metadataSize: 1 + int(100_000),
      yourIp: pick(["127.0.0.1", "::1"]),
      ipv4: "10.0.0.1",
      ipv6: "2001:db8::1",
      prefersEncryption: rand() < 0.5,
      uploadOnly: rand() < 0.5,
    }));
    // A short last piece, so mutations mostly land in the dict rather than in the data.
    const piece = int(3);
    const totalSize = piece * 16384 + 1 + int(63);
    out.ut_metadata.push(
      encodeMetadataMessage({ type: pick(["request", "reject"] as const), piece: int(5) }),
    );
    out.ut_metadata.push(encodeMetadataMessage({
      type: "data",
      piece,
      totalSize,
      data: new Uint8Array(metadataPieceLength(totalSize, piece)).fill(0x64),
    }));
    out.ut_pex.push(encodePexMessage({
      added: [
        {
          host: `10.0.0.${int(256)}`,
          port: 1 + int(65535),
          flags: { ...NO_PEX_FLAGS, seed: true },
        },
        { host: "2001:db8::2", port: 1 + int(65535), flags: NO_PEX_FLAGS },
      ],
      dropped: [{ host: "192.0.2.1", port: 1 + int(65535) }, { host: "::ffff:1.2.3.4", port: 9 }],
    }));
  }
  return out;
}

const isPort = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;

/** The decoders under test, each with the invariants a decoded value must meet. */
const DECODERS: Record<string, (input: Uint8Array) => void> = {
  handshake(input) {
    const h = decodeExtendedHandshake(input);
    for (const id of Object.values(h.m)) assert.ok(Number.isInteger(id) && id >= 0 && id <= 255);
    if (h.p !== undefined) assert.ok(isPort(h.p));
    if (h.metadataSize !== undefined) {
      assert.ok(Number.isSafeInteger(h.metadataSize) && h.metadataSize > 0);
    }
    if (h.v !== undefined) assert.ok([...h.v].length <= 256);
  },
  ut_metadata(input) {
    const m = decodeMetadataMessage(input);
    if (m === undefined) return;
    assert.ok(Number.isSafeInteger(m.piece) && m.piece >= 0);
    if (m.type === "data") {
      assert.ok(m.totalSize > 0 && m.totalSize <= MAX_METADATA_SIZE);
      assert.equal(m.data.length, metadataPieceLength(m.totalSize, m.piece));
    }
  },
  ut_pex(input) {
    const { added, dropped } = decodePexMessage(input);
    assert.ok(added.length <= MAX_PEX_PEERS_DECODED && dropped.length <= MAX_PEX_PEERS_DECODED);
    for (const p of [...added, ...dropped]) assert.ok(isPort(p.port) && p.host.length > 0);
  },
};

function check(name: string, input: Uint8Array): "ok" | "rejected" {
  try {
    DECODERS[name](input);
    return "ok";
  } catch (e) {
    if (e instanceof ExtensionError) return "rejected";
    const shown = JSON.stringify(String.fromCharCode(...input.subarray(0, 200)));
    throw new Error(`${name}: ${e} for input ${shown}`);
  }
}

Deno.test("fuzz: every decoder returns a well-formed value or throws ExtensionError", () => {
  const base = seeds();
  const counts: Record<string, { ok: number; rejected: number }> = {};
  for (const name of Object.keys(DECODERS)) {
    counts[name] = { ok: 0, rejected: 0 };
    for (let i = 0; i < 4000; i++) {
      const others = Object.values(base).flat();
      const input = i % 4 === 3 ? soup() : mutate(pick(i % 4 === 2 ? others : base[name]));
      counts[name][check(name, input)]++;
    }
    for (const input of base[name]) assert.equal(check(name, input), "ok");
  }
  // Both outcomes must be common, or the fuzzer is not reaching the interesting paths.
  for (const [name, { ok, rejected }] of Object.entries(counts)) {
    assert.ok(ok > 100 && rejected > 100, `${name}: ${ok} decoded, ${rejected} rejected`);
  }
});

Deno.test("fuzz: kept inputs replay through every decoder", async () => {
  const dir = new URL("../data/fuzz/extension/", import.meta.url);
  let files = 0;
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile) continue;
    files++;
    const input = await Deno.readFile(new URL(entry.name, dir));
    for (const name of Object.keys(DECODERS)) check(name, input);
  }
  assert.ok(files > 0, "tests/data/fuzz/extension/ holds the kept inputs");
});
