import assert from "node:assert/strict";
import { pickEvictions, SegmentCache } from "../../src/transcode/segment_cache.ts";

Deno.test("pickEvictions drops least recently used entries until the rest fits", () => {
  const entries = [
    { key: "a", bytes: 40, lastUsed: 3 },
    { key: "b", bytes: 40, lastUsed: 1 },
    { key: "c", bytes: 40, lastUsed: 2 },
    { key: "d", bytes: 40, lastUsed: 4 },
  ];
  assert.deepEqual(pickEvictions(entries, 160), []);
  assert.deepEqual(pickEvictions(entries, 120), ["b"]);
  assert.deepEqual(pickEvictions(entries, 80), ["b", "c"]);
  assert.deepEqual(pickEvictions(entries, 0), ["b", "c", "a"], "the newest stays");
  assert.deepEqual(pickEvictions([], 0), []);
  assert.deepEqual(pickEvictions([{ key: "big", bytes: 500, lastUsed: 1 }], 100), []);
});

Deno.test("SegmentCache moves segments in, serves them, and evicts by use to its cap", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cache = new SegmentCache(dir, 250);
    const make = async (name: string) => {
      await Deno.writeFile(`${dir}/${name}`, new Uint8Array(100));
      return `${dir}/${name}`;
    };
    await cache.put(1, 0, await make("made0"));
    await cache.put(1, 1, await make("made1"));
    assert.equal(cache.get(1, 0), `${dir}/1-0.ts`, "segment 0 used again");
    await assert.rejects(Deno.stat(`${dir}/made0`), "moved, not copied");
    await cache.put(2, 0, await make("made2"));
    assert.equal(cache.bytes, 200);
    assert.equal(cache.get(1, 1), undefined, "least recently used went");
    await assert.rejects(Deno.stat(`${dir}/1-1.ts`));
    assert.ok(cache.get(1, 0) && cache.get(2, 0));
    assert.equal((await Deno.stat(`${dir}/2-0.ts`)).size, 100);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
