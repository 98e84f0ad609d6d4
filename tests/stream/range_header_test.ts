import assert from "node:assert/strict";
import {
  contentRange,
  parseRangeHeader,
  type RangeDecision,
  resolveRange,
  unsatisfiedRange,
} from "../../src/stream/range_header.ts";

const partial = (start: number, end: number): RangeDecision => ({ kind: "partial", start, end });
const FULL: RangeDecision = { kind: "full" };
const NONE: RangeDecision = { kind: "unsatisfiable" };

Deno.test("range: the three single-range forms", () => {
  assert.deepEqual(resolveRange("bytes=100-199", 1000), partial(100, 200));
  assert.deepEqual(resolveRange("bytes=0-0", 1000), partial(0, 1));
  assert.deepEqual(resolveRange("bytes=999-999", 1000), partial(999, 1000));
  assert.deepEqual(resolveRange("bytes=0-", 1000), partial(0, 1000));
  assert.deepEqual(resolveRange("bytes=500-", 1000), partial(500, 1000));
  assert.deepEqual(resolveRange("bytes=-1", 1000), partial(999, 1000));
  assert.deepEqual(resolveRange("bytes=-300", 1000), partial(700, 1000));
  assert.deepEqual(resolveRange("bytes=-1000", 1000), partial(0, 1000));
});

Deno.test("range: a last-pos or suffix past the end is cut to the file", () => {
  assert.deepEqual(resolveRange("bytes=900-5000", 1000), partial(900, 1000));
  assert.deepEqual(resolveRange("bytes=0-99999999999999999999999", 1000), partial(0, 1000));
  assert.deepEqual(resolveRange("bytes=-5000", 1000), partial(0, 1000));
  assert.deepEqual(resolveRange(`bytes=-${"9".repeat(400)}`, 1000), partial(0, 1000));
});

Deno.test("range: unsatisfiable ranges", () => {
  assert.deepEqual(resolveRange("bytes=1000-", 1000), NONE);
  assert.deepEqual(resolveRange("bytes=1000-1000", 1000), NONE);
  assert.deepEqual(resolveRange("bytes=5000-6000", 1000), NONE);
  assert.deepEqual(resolveRange(`bytes=${"9".repeat(30)}-`, 1000), NONE);
  assert.deepEqual(resolveRange("bytes=-0", 1000), NONE);
  assert.deepEqual(resolveRange("bytes=0-", 0), NONE);
  assert.deepEqual(resolveRange("bytes=0-0", 0), NONE);
  assert.deepEqual(resolveRange("bytes=-5", 0), NONE);
});

Deno.test("range: absent header serves the whole file", () => {
  assert.deepEqual(resolveRange(null, 1000), FULL);
  assert.deepEqual(resolveRange(null, 0), FULL);
});

Deno.test("range: malformed headers are ignored (RFC 9110 §14.2)", () => {
  for (
    const value of [
      "",
      "bytes",
      "bytes=",
      "bytes=,",
      "bytes= , ",
      "bytes=-",
      "bytes=a-b",
      "bytes=1-a",
      "bytes=+1-2",
      "bytes=1-+2",
      "bytes=0x10-",
      "bytes=1e3-",
      "bytes=1.5-2",
      "bytes=--1",
      "bytes=1--2",
      "bytes=1",
      "bytes=1 - 2",
      "bytes =0-1",
      "bytes:0-1",
      "items=0-1",
      "0-1",
      "bytes=200-100", // last-pos before first-pos is invalid
      "bytes=0-1;x",
      "bytes=٣-٤", // non-ASCII digits
    ]
  ) {
    assert.equal(parseRangeHeader(value), undefined, value);
    assert.deepEqual(resolveRange(value, 1000), FULL, value);
  }
});

Deno.test("range: unit is case-insensitive, whitespace and empty list elements are allowed", () => {
  assert.deepEqual(resolveRange("Bytes=1-2", 10), partial(1, 3));
  assert.deepEqual(resolveRange("BYTES=1-2", 10), partial(1, 3));
  assert.deepEqual(resolveRange("bytes= 1-2 ", 10), partial(1, 3));
  assert.deepEqual(resolveRange("bytes=1-2,", 10), partial(1, 3));
  assert.deepEqual(resolveRange("bytes=, ,1-2", 10), partial(1, 3));
  assert.deepEqual(resolveRange("  bytes=007-008", 10), partial(7, 9));
});

Deno.test("range: several ranges are ignored, the whole file is served (documented choice)", () => {
  assert.deepEqual(parseRangeHeader("bytes=0-9, 20-, -5"), [
    { kind: "int", first: 0, last: 9 },
    { kind: "int", first: 20 },
    { kind: "suffix", suffix: 5 },
  ]);
  assert.deepEqual(resolveRange("bytes=0-9,20-29", 1000), FULL);
  assert.deepEqual(resolveRange("bytes=5000-,6000-", 1000), FULL);
  // one bad element spoils the whole header
  assert.equal(parseRangeHeader("bytes=0-9,x"), undefined);
});

Deno.test("range: Content-Range values", () => {
  assert.equal(contentRange(1000, 100, 200), "bytes 100-199/1000");
  assert.equal(contentRange(1, 0, 1), "bytes 0-0/1");
  assert.equal(unsatisfiedRange(1000), "bytes */1000");
});

Deno.test("range: every satisfiable spec on small files matches a brute-force model", () => {
  for (let length = 0; length <= 6; length++) {
    for (let first = 0; first <= 8; first++) {
      for (let last = first; last <= 8; last++) {
        const expected: RangeDecision = first >= length
          ? NONE
          : partial(first, Math.min(last, length - 1) + 1);
        assert.deepEqual(resolveRange(`bytes=${first}-${last}`, length), expected);
      }
      const open: RangeDecision = first >= length ? NONE : partial(first, length);
      assert.deepEqual(resolveRange(`bytes=${first}-`, length), open);
      const suffix: RangeDecision = first === 0 || length === 0
        ? NONE
        : partial(Math.max(0, length - first), length);
      assert.deepEqual(resolveRange(`bytes=-${first}`, length), suffix);
    }
  }
});

Deno.test("range: fuzz — random headers never throw and partial answers stay in the file", () => {
  let state = 0x5eed;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 8;
  };
  const alphabet = [
    "bytes=",
    "0",
    "1",
    "9",
    "-",
    ",",
    " ",
    "\t",
    "=",
    "x",
    "é",
    "99999999999999999999",
  ];
  for (let i = 0; i < 20_000; i++) {
    let value = "";
    const parts = next() % 12;
    for (let p = 0; p < parts; p++) value += alphabet[next() % alphabet.length];
    const length = next() % 50;
    const decision = resolveRange(value, length);
    if (decision.kind === "partial") {
      assert.ok(
        0 <= decision.start && decision.start < decision.end && decision.end <= length,
        `${JSON.stringify(value)} on ${length}: ${JSON.stringify(decision)}`,
      );
      assert.ok(Number.isSafeInteger(decision.start) && Number.isSafeInteger(decision.end));
    }
  }
});
