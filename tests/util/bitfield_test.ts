import assert from "node:assert/strict";
import { Bitfield } from "../../src/util/bitfield.ts";

Deno.test("bit order is BEP 3's: piece 0 is the high bit of byte 0", () => {
  const bits = new Bitfield(10);
  bits.set(0);
  bits.set(9);
  assert.deepEqual([...bits.bytes], [0x80, 0x40]);
  assert.equal(bits.count, 2);
  assert.ok(bits.has(9) && !bits.has(8));
  assert.equal(bits.set(9), false);
  assert.equal(bits.clear(9), true);
  assert.equal(bits.count, 1);
});

Deno.test("wire bitfields with wrong length or spare bits set are refused", () => {
  assert.throws(() => new Bitfield(10, new Uint8Array(1)), RangeError);
  assert.throws(() => new Bitfield(10, new Uint8Array([0, 0x01])), RangeError);
  const ok = new Bitfield(10, new Uint8Array([0xff, 0xc0]));
  assert.ok(ok.complete);
  assert.throws(() => ok.set(10), RangeError);
});

Deno.test("full() sets every piece", () => {
  const bits = Bitfield.full(13);
  assert.equal(bits.count, 13);
  assert.deepEqual([...bits.bytes], [0xff, 0xf8]);
});
