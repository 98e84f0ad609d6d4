import assert from "node:assert/strict";
import { PieceReadCache } from "../../src/storage/read_cache.ts";
import type { StoreWriter } from "../../src/storage/store_writer.ts";

const PIECE = 64 * 1024;

/** A store whose piece `i` is filled with byte `i`; it records the buffers it reads into. */
function fakeStore(options: { failFirstReadOf?: number } = {}) {
  const reads: { index: number; into?: Uint8Array }[] = [];
  let failed = false;
  const store: Pick<StoreWriter, "read"> = {
    read(index, _begin, length, into) {
      reads.push({ index, into });
      if (index === options.failFirstReadOf && !failed) {
        failed = true;
        return Promise.reject(new Error("disk hiccup"));
      }
      const out = into ?? new Uint8Array(length);
      out.fill(index);
      return Promise.resolve(out);
    },
  };
  // Room for two pieces.
  const cache = new PieceReadCache(store as StoreWriter, () => PIECE, 2 * PIECE);
  return { cache, reads };
}

Deno.test("blocks are cut from one read of their piece", async () => {
  const { cache, reads } = fakeStore();
  const a = await cache.read(3, 0, 16384);
  const b = await cache.read(3, 16384, 100);
  assert.equal(reads.length, 1);
  assert.equal(a.length, 16384);
  assert.equal(b.length, 100);
  assert.ok(a.every((x) => x === 3) && b.every((x) => x === 3));
});

Deno.test("a block stays intact until released, however many pieces come and go", async () => {
  const { cache, reads } = fakeStore();
  const held = await cache.read(0, 0, 16384);
  for (let i = 1; i <= 10; i++) cache.release(await cache.read(i, 0, 16384));
  assert.ok(held.every((x) => x === 0), "piece 0's bytes, not a later piece's");
  assert.ok(reads.slice(1).every((r) => r.into?.buffer !== held.buffer), "its buffer never lent");
  cache.release(held);
  for (let i = 11; i <= 14; i++) cache.release(await cache.read(i, 0, 16384));
  assert.ok(
    reads.slice(11).some((r) => r.into?.buffer === held.buffer),
    "after release and eviction it is reused",
  );
});

Deno.test("evicted and released piece buffers are reused: a handful for many pieces", async () => {
  const { cache, reads } = fakeStore();
  for (let i = 0; i < 50; i++) {
    const block = await cache.read(i, 0, 16384);
    assert.equal(block[0], i);
    cache.release(block);
  }
  const distinct = new Set(reads.map((r) => r.into?.buffer));
  assert.ok(distinct.size <= 4, `${distinct.size} buffers for 50 pieces`);
});

Deno.test("a block never released (a stream's read) keeps its buffer out of reuse", async () => {
  const { cache, reads } = fakeStore();
  const kept = await cache.read(0, 0, PIECE);
  for (let i = 1; i < 20; i++) cache.release(await cache.read(i, 0, 16384));
  assert.ok(kept.every((x) => x === 0));
  assert.ok(reads.slice(1).every((r) => r.into?.buffer !== kept.buffer));
});

Deno.test("prefetch reads a piece once, without pinning it", async () => {
  const { cache, reads } = fakeStore();
  cache.prefetch(5);
  cache.prefetch(5);
  assert.equal(reads.length, 1);
  const block = await cache.read(5, 0, 10);
  assert.equal(reads.length, 1, "served from the prefetched piece");
  cache.release(block);
  const prefetched = reads[0].into!.buffer;
  cache.prefetch(6);
  cache.prefetch(7); // evicts 5, unpinned: its buffer goes back
  cache.release(await cache.read(7, 0, 10));
  await cache.read(8, 0, 10);
  assert.deepEqual(reads.map((r) => r.index), [5, 6, 7, 8]);
  assert.equal(reads[3].into?.buffer, prefetched);
});

Deno.test("a failed read rejects its readers and is not cached", async () => {
  const { cache, reads } = fakeStore({ failFirstReadOf: 2 });
  cache.prefetch(2);
  await assert.rejects(cache.read(2, 0, 10), /disk hiccup/);
  const block = await cache.read(2, 0, 10);
  assert.equal(reads.length, 2, "read again");
  assert.equal(block[0], 2);
});
