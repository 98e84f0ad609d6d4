/** XOR distance, ordering by distance, shared prefix bits and bucket-refresh targets. */
import assert from "node:assert/strict";
import {
  commonPrefixBits,
  compareDistance,
  NODE_ID_BITS,
  randomIdAtPrefix,
  randomNodeId,
  xorDistance,
} from "../../src/dht/node_id.ts";

const id = (...bytes: number[]) => {
  const out = new Uint8Array(20);
  out.set(bytes);
  return out;
};

Deno.test("XOR distance is symmetric, zero only to itself", () => {
  const a = randomNodeId();
  const b = randomNodeId();
  assert.deepEqual(xorDistance(a, b), xorDistance(b, a));
  assert.deepEqual(xorDistance(a, a), new Uint8Array(20));
  assert.deepEqual(xorDistance(id(0b1010), id(0b0110)), id(0b1100));
});

Deno.test("compareDistance orders by XOR distance read big-endian", () => {
  const target = id(0x80);
  const near = id(0x81); // distance 0x01…
  const far = id(0x00, 0xff); // distance 0x80…: the first byte decides
  assert.ok(compareDistance(target, near, far) < 0);
  assert.ok(compareDistance(target, far, near) > 0);
  assert.equal(compareDistance(target, near, near), 0);
  const sorted = [far, target, near].sort((a, b) => compareDistance(target, a, b));
  assert.deepEqual(sorted, [target, near, far]);
});

Deno.test("commonPrefixBits counts shared leading bits", () => {
  assert.equal(commonPrefixBits(id(0x80), id(0x00)), 0);
  assert.equal(commonPrefixBits(id(0x80), id(0xc0)), 1);
  assert.equal(commonPrefixBits(id(0xff, 0xff), id(0xff, 0xfe)), 15);
  const a = randomNodeId();
  assert.equal(commonPrefixBits(a, a.slice()), NODE_ID_BITS);
});

Deno.test("randomIdAtPrefix lands in the bucket it is asked for", () => {
  const own = randomNodeId();
  for (let bits = 0; bits < NODE_ID_BITS; bits++) {
    assert.equal(commonPrefixBits(own, randomIdAtPrefix(own, bits)), bits, `prefix ${bits}`);
  }
  assert.deepEqual(randomIdAtPrefix(own, NODE_ID_BITS), own);
});
