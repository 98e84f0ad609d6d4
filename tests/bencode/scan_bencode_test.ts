import assert from "node:assert/strict";
import { BencodeError } from "../../src/bencode/bencode_error.ts";
import { findDictValueSpan, rawInfoSpan, scanBencode } from "../../src/bencode/scan_bencode.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array, span: { start: number; end: number }) =>
  new TextDecoder().decode(b.subarray(span.start, span.end));

Deno.test("scanBencode returns the end of one value", () => {
  assert.equal(scanBencode(enc("i42e")), 4);
  assert.equal(scanBencode(enc("li1ee!")), 5);
  assert.equal(scanBencode(enc("xx4:spamyy"), 2), 8);
});

Deno.test("rawInfoSpan returns the info bytes exactly as written, keys unsorted", () => {
  // `name` before `length`: a re-encoding would reorder them and change the hash.
  const file = enc("d8:announce3:url4:infod4:name1:x6:lengthi5ee7:comment1:ce");
  const span = rawInfoSpan(file)!;
  assert.equal(text(file, span), "d4:name1:x6:lengthi5ee");
});

Deno.test("findDictValueSpan only matches top-level keys", () => {
  const file = enc("d1:ad4:infoi1ee4:infoi2ee");
  assert.equal(text(file, findDictValueSpan(file, "info")!), "i2e");
  assert.equal(findDictValueSpan(enc("d1:ai1ee"), "info"), undefined);
  // A string value that merely contains "4:info" is skipped over, not matched.
  const tricky = enc("d1:a6:4:info4:infoi3ee");
  assert.equal(text(tricky, findDictValueSpan(tricky, "info")!), "i3e");
});

Deno.test("findDictValueSpan validates the whole input", () => {
  assert.throws(() => findDictValueSpan(enc("li1ee"), "info"), /expected a dict/);
  assert.throws(() => findDictValueSpan(enc("d4:infoi1eeX"), "info"), /trailing data/);
  assert.throws(() => findDictValueSpan(enc("d4:infoi01ee"), "info"), /leading zero/);
  assert.throws(() => findDictValueSpan(enc("d4:infoi1e4:infoi2ee"), "info"), /duplicate/);
  assert.throws(() => findDictValueSpan(enc("d4:info"), "info"), BencodeError);
});
