import assert from "node:assert/strict";
import { BufferPool } from "../../src/util/buffer_pool.ts";

const KiB = 1024;

Deno.test("a buffer given back is reused for the next request it fits", () => {
  const pool = new BufferPool({ minLength: 64 * KiB, granule: 64 * KiB });
  const first = pool.take(300 * KiB);
  assert.equal(first.length, 300 * KiB);
  assert.equal(first.buffer.byteLength, 320 * KiB, "rounded up to the granule");
  first.fill(7);
  pool.give(first);
  assert.equal(pool.spare, 1);
  const second = pool.take(310 * KiB);
  assert.equal(second.buffer, first.buffer);
  assert.equal(second.length, 310 * KiB);
  assert.equal(second[0], 7, "reused as it was: callers overwrite it");
  assert.equal(pool.spare, 0);
  assert.notEqual(pool.take(310 * KiB).buffer, first.buffer, "handed out once");
});

Deno.test("small requests, and buffers far too big or too small, are not reused", () => {
  const pool = new BufferPool({ minLength: 64 * KiB, granule: 16 * KiB });
  const small = pool.take(1000);
  assert.equal(small.buffer.byteLength, 1000);
  pool.give(small);
  assert.equal(pool.spare, 0, "under minLength: left to the GC");
  const big = pool.take(1024 * KiB);
  pool.give(big);
  const medium = pool.take(100 * KiB);
  assert.notEqual(medium.buffer, big.buffer, "a 1 MiB buffer is not pinned by a 100 KiB request");
  assert.equal(pool.spare, 1);
  const larger = pool.take(2048 * KiB);
  assert.notEqual(larger.buffer, big.buffer, "too small");
  assert.equal(pool.take(1000 * KiB).buffer, big.buffer);
});

Deno.test("at most maxSpare buffers are kept, each once", () => {
  const pool = new BufferPool({ minLength: 64 * KiB, maxSpare: 2 });
  const views = [1, 2, 3].map(() => pool.take(64 * KiB));
  pool.give(views[0]);
  pool.give(views[0]);
  assert.equal(pool.spare, 1, "the same buffer twice counts once");
  pool.give(views[1]);
  pool.give(views[2]);
  assert.equal(pool.spare, 2);
  const a = pool.take(64 * KiB);
  const b = pool.take(64 * KiB);
  assert.notEqual(a.buffer, b.buffer);
  assert.deepEqual(new Set([a.buffer, b.buffer]), new Set([views[0].buffer, views[1].buffer]));
});
