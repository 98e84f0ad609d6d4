/**
 * Fuzzes the bencode decoders with mutated valid encodings and random token soup (fixed seed,
 * bounded iterations): each input must decode or throw BencodeError — never hang or throw
 * anything else — and agree with a small independent reference decoder written here.
 */
import assert from "node:assert/strict";
import { BencodeError } from "../../src/bencode/bencode_error.ts";
import { decodeBencode, decodeBencodePrefix } from "../../src/bencode/decode_bencode.ts";
import { type BencodeInput, encodeBencode } from "../../src/bencode/encode_bencode.ts";
import { rawInfoSpan } from "../../src/bencode/scan_bencode.ts";
import { seededRandom } from "../support/fuzz.ts";

const { int } = seededRandom(0xb17);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];

function randomValue(depth: number): BencodeInput {
  const kind = depth > 4 ? int(2) : int(4);
  if (kind === 0) return pick([0, 1, -1, 42, 2 ** 53 - 1, -(2 ** 31), int(1e9)]);
  if (kind === 1) return Uint8Array.from({ length: int(6) }, () => int(256));
  if (kind === 2) return Array.from({ length: int(4) }, () => randomValue(depth + 1));
  const dict: Record<string, BencodeInput> = {};
  for (let i = int(4); i > 0; i--) {
    dict[pick(["a", "info", "length", "é", "x"])] = randomValue(depth + 1);
  }
  return dict;
}

function mutate(input: Uint8Array): Uint8Array {
  const b = [...input];
  for (let n = 1 + int(3); n > 0; n--) {
    const at = int(b.length + 1);
    switch (int(6)) {
      case 0:
        b[at] = int(256);
        break;
      case 1:
        b.splice(at, 0, pick([...new TextEncoder().encode("ilde0123456789:-")]));
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
        b.splice(at, 0, ...new TextEncoder().encode(pick(["9999999999:", "i-0e", "d", "l", "e"])));
    }
  }
  return Uint8Array.from(b.filter((x) => x !== undefined));
}

/** Independent strict reference: returns the end offset or "invalid". */
function reference(b: Uint8Array, pos: number, depth: number): number | "invalid" {
  const s = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (pos >= b.length) return "invalid";
  if (b[pos] === 0x69) {
    const end = b.indexOf(0x65, pos);
    if (end < 0) return "invalid";
    const body = s(pos + 1, end);
    if (!/^(0|-?[1-9][0-9]*)$/.test(body) || !Number.isSafeInteger(Number(body))) return "invalid";
    return end + 1;
  }
  if (b[pos] >= 0x30 && b[pos] <= 0x39) {
    const colon = b.indexOf(0x3a, pos);
    if (colon < 0 || !/^(0|[1-9][0-9]*)$/.test(s(pos, colon))) return "invalid";
    const end = colon + 1 + Number(s(pos, colon));
    return end <= b.length ? end : "invalid";
  }
  if (b[pos] !== 0x6c && b[pos] !== 0x64) return "invalid";
  if (depth >= 100) return "invalid";
  const isDict = b[pos] === 0x64;
  const keys = new Set<string>();
  pos++;
  while (b[pos] !== 0x65) {
    if (isDict) {
      const keyEnd = b[pos] >= 0x30 && b[pos] <= 0x39 ? reference(b, pos, depth + 1) : "invalid";
      if (keyEnd === "invalid") return "invalid";
      const key = new TextDecoder().decode(b.subarray(b.indexOf(0x3a, pos) + 1, keyEnd));
      const name = key.includes("\uFFFD")
        ? [...b.subarray(b.indexOf(0x3a, pos) + 1, keyEnd)].map((x) =>
          x.toString(16).padStart(2, "0")
        ).join("")
        : key;
      if (keys.has(name) || name === "__proto__") return "invalid";
      keys.add(name);
      pos = keyEnd;
    }
    const end = reference(b, pos, depth + 1);
    if (end === "invalid") return "invalid";
    pos = end;
  }
  return pos + 1;
}

function outcome(input: Uint8Array): "ok" | "invalid" {
  try {
    decodeBencode(input);
    return "ok";
  } catch (e) {
    if (e instanceof BencodeError) return "invalid";
    throw new Error(`non-BencodeError for ${JSON.stringify(String.fromCharCode(...input))}: ${e}`);
  }
}

Deno.test("fuzz: decoders return or throw BencodeError, and agree with the reference", () => {
  const seeds = Array.from({ length: 200 }, () => encodeBencode(randomValue(0)));
  let valid = 0;
  for (let i = 0; i < 30_000; i++) {
    const input = i % 5 === 0
      ? Uint8Array.from(
        { length: int(24) },
        () => pick([...new TextEncoder().encode("ilde0123:-x9")]),
      )
      : mutate(pick(seeds));
    const got = outcome(input);
    const end = reference(input, 0, 0);
    const want = end === input.length ? "ok" : "invalid";
    assert.equal(got, want, `input ${JSON.stringify(String.fromCharCode(...input))}`);
    if (got === "ok") {
      valid++;
      const withTail = new Uint8Array([...input, 0x78]);
      assert.equal(decodeBencodePrefix(withTail).length, input.length);
    }
    try {
      const span = rawInfoSpan(input);
      if (span) assert.ok(span.start > 0 && span.end <= input.length && span.start < span.end);
    } catch (e) {
      if (!(e instanceof BencodeError)) throw e;
    }
  }
  // The mutations must leave enough valid inputs for the agreement check to mean something.
  assert.ok(valid > 1_000, `only ${valid} valid inputs`);
});

Deno.test("fuzz: inputs kept in tests/data/fuzz/bencode decode or throw BencodeError", async () => {
  const dir = new URL("../data/fuzz/bencode/", import.meta.url);
  let count = 0;
  for await (const entry of Deno.readDir(dir)) {
    const input = await Deno.readFile(new URL(entry.name, dir));
    const want = reference(input, 0, 0) === input.length ? "ok" : "invalid";
    assert.equal(outcome(input), want, entry.name);
    count++;
  }
  assert.ok(count > 0);
});
