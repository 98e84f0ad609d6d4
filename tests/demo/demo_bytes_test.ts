import assert from "node:assert/strict";
import { fillDemoBytes } from "../../src/demo/demo_bytes.ts";

function bytes(length: number, offset: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  fillDemoBytes(out, offset, seed);
  return out;
}

Deno.test("any slice starting at a multiple of 4 equals the same slice of one long run", () => {
  const whole = bytes(10_000, 0, 3);
  for (const [start, length] of [[0, 1], [4, 3], [8, 4], [100, 333], [4096, 5000], [9996, 4]]) {
    assert.deepEqual(bytes(length, start, 3), whole.subarray(start, start + length), `${start}`);
  }
});

Deno.test("an unaligned view gets the same bytes as an aligned buffer", () => {
  const backing = new Uint8Array(1001);
  const view = backing.subarray(1);
  fillDemoBytes(view, 400, 9);
  assert.deepEqual(view, bytes(1000, 400, 9));
});

Deno.test("the same seed gives the same bytes, another seed others; bytes look random", () => {
  assert.deepEqual(bytes(4096, 0, 1), bytes(4096, 0, 1));
  assert.notDeepEqual(bytes(4096, 0, 1), bytes(4096, 0, 2));
  // Neighbouring blocks differ, and every byte value shows up about equally often.
  assert.notDeepEqual(bytes(16384, 0, 1), bytes(16384, 16384, 1));
  const sample = bytes(1 << 20, 0, 5);
  const counts = new Array(256).fill(0);
  for (const b of sample) counts[b]++;
  const expected = sample.length / 256;
  for (const c of counts) assert.ok(Math.abs(c - expected) < expected * 0.1, `${c} vs ${expected}`);
});

Deno.test("offsets that are not a multiple of 4 are refused", () => {
  assert.throws(() => fillDemoBytes(new Uint8Array(4), 2, 1), RangeError);
});
