import assert from "node:assert/strict";
import { cachedBytes } from "../support/page_cache.ts";
import { alignedSpan, DIRECT_ALIGNMENT, DirectWriter } from "../../src/storage/direct_io.ts";

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

Deno.test("alignedSpan splits a write into an unaligned head, whole blocks, and a tail", () => {
  const cases: [number, number, number, number][] = [
    // offset, length, head, body
    [0, 262144, 0, 262144],
    [0, 5000, 0, 4096],
    [100, 10000, 3996, 4096],
    [100, 200, 200, 0],
    [4096, 4095, 0, 0],
    [8191, 8193, 1, 8192],
    [0, 0, 0, 0],
  ];
  for (const [offset, length, head, body] of cases) {
    assert.deepEqual(alignedSpan(offset, length), { head, body }, `${offset}+${length}`);
  }
});

Deno.test("direct writes land on disk without filling the page cache", async () => {
  const direct = DirectWriter.create();
  assert.ok(direct, "direct writes are available on this Linux machine with -A");
  const dir = await Deno.makeTempDir();
  const path = `${dir}/data.bin`;
  try {
    const size = 3 * 1024 * 1024; // three bounce buffers' worth
    await Deno.writeFile(path, new Uint8Array());
    await Deno.truncate(path, size);
    const fd = direct.open(path);
    assert.ok(fd !== undefined, "ext4 accepts O_DIRECT");
    // Chunks written out of order, from buffers whose addresses are not aligned.
    const data = randomBytes(size);
    const half = size / 2;
    const unalignedSource = new Uint8Array(half + 1);
    unalignedSource.set(data.subarray(half), 1);
    try {
      assert.equal(await direct.write(fd, unalignedSource.subarray(1), half), true);
      assert.equal(await direct.write(fd, data.subarray(0, half), 0), true);
    } finally {
      direct.close(fd);
    }
    assert.equal(await cachedBytes(path), 0, "nothing of the file is in the page cache");
    assert.deepEqual(await Deno.readFile(path), data);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unaligned direct write is refused, so the caller writes through the cache", async () => {
  const direct = DirectWriter.create();
  assert.ok(direct);
  const dir = await Deno.makeTempDir();
  const path = `${dir}/data.bin`;
  try {
    await Deno.writeFile(path, new Uint8Array(4 * DIRECT_ALIGNMENT));
    const fd = direct.open(path);
    assert.ok(fd !== undefined);
    try {
      const block = new Uint8Array(DIRECT_ALIGNMENT).fill(7);
      assert.equal(await direct.write(fd, block, 100), false, "unaligned offset");
      assert.equal(await direct.write(fd, block.subarray(1), 0), false, "unaligned length");
      assert.equal(await direct.write(fd, block, DIRECT_ALIGNMENT), true);
    } finally {
      direct.close(fd);
    }
    const file = await Deno.readFile(path);
    assert.deepEqual(file.subarray(0, DIRECT_ALIGNMENT), new Uint8Array(DIRECT_ALIGNMENT));
    assert.deepEqual(file.subarray(DIRECT_ALIGNMENT, 2 * DIRECT_ALIGNMENT), block());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }

  function block() {
    return new Uint8Array(DIRECT_ALIGNMENT).fill(7);
  }
});

Deno.test("a file system that refuses O_DIRECT gives no descriptor, not an error", () => {
  const direct = DirectWriter.create();
  assert.ok(direct);
  // /proc files cannot be opened for direct writes (nor written at all).
  assert.equal(direct.open("/proc/self/status"), undefined);
  assert.equal(direct.open("/nonexistent/dir/file"), undefined);
});

Deno.test("direct writes run several at once and each lands where it belongs", async () => {
  const direct = DirectWriter.create();
  assert.ok(direct);
  const dir = await Deno.makeTempDir();
  const path = `${dir}/data.bin`;
  try {
    const chunk = 256 * 1024;
    const count = 12; // more than the writes allowed in flight: some wait for a bounce buffer
    const data = new Uint8Array(chunk * count);
    for (let at = 0; at < data.length; at += 65536) {
      crypto.getRandomValues(data.subarray(at, at + 65536));
    }
    await Deno.writeFile(path, new Uint8Array());
    await Deno.truncate(path, data.length);
    const fd = direct.open(path);
    assert.ok(fd !== undefined);
    try {
      const order = [5, 0, 11, 3, 8, 1, 10, 2, 7, 4, 9, 6];
      const results = await Promise.all(
        order.map((i) => direct.write(fd, data.subarray(i * chunk, (i + 1) * chunk), i * chunk)),
      );
      assert.deepEqual(results, order.map(() => true));
    } finally {
      direct.close(fd);
    }
    assert.deepEqual(await Deno.readFile(path), data);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
