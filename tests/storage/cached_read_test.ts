import assert from "node:assert/strict";
import { CachedReader } from "../../src/storage/cached_read.ts";
import { DirectWriter } from "../../src/storage/direct_io.ts";
import { cachedBytes } from "../support/page_cache.ts";
import { randomBytes } from "../support/synthetic_torrent.ts";

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("bytes in the page cache are read at once", async () => {
  const cached = CachedReader.create();
  assert.ok(cached, "libc is callable on this Linux machine with -A");
  await withDir(async (dir) => {
    const data = randomBytes(1 << 20, 7);
    await Deno.writeFile(`${dir}/a.bin`, data); // a buffered write leaves its pages cached
    try {
      const into = new Uint8Array(300_000);
      assert.equal(cached.read(`${dir}/a.bin`, into, 123_456), true);
      assert.deepEqual(into, data.subarray(123_456, 423_456));
      const view = new Uint8Array(70_000).subarray(1000, 65_000); // a view at an offset
      assert.equal(cached.read(`${dir}/a.bin`, view, 5), true);
      assert.deepEqual(view, data.subarray(5, 64_005));
    } finally {
      cached.close();
    }
  });
});

Deno.test("bytes not in the page cache are refused, not waited for", async () => {
  const cached = CachedReader.create()!;
  const direct = DirectWriter.create()!;
  await withDir(async (dir) => {
    const path = `${dir}/cold.bin`;
    const data = randomBytes(1 << 20, 8);
    await Deno.writeFile(path, new Uint8Array());
    await Deno.truncate(path, data.length);
    const fd = direct.open(path)!;
    try {
      assert.equal(await direct.write(fd, data, 0), true);
    } finally {
      direct.close(fd);
    }
    try {
      assert.equal(await cachedBytes(path), 0, "written past the page cache");
      assert.equal(cached.read(path, new Uint8Array(65_536), 0), false);
      await Deno.readFile(path);
      const into = new Uint8Array(65_536);
      assert.equal(cached.read(path, into, 65_536), true, "cached once read the usual way");
      assert.deepEqual(into, data.subarray(65_536, 131_072));
    } finally {
      cached.close();
    }
  });
});

Deno.test("missing files, reads past the end and tiny reads are refused", async () => {
  const cached = CachedReader.create()!;
  await withDir(async (dir) => {
    const path = `${dir}/late.bin`;
    try {
      assert.equal(cached.read(path, new Uint8Array(4096), 0), false, "not there yet");
      await Deno.writeFile(path, randomBytes(10_000, 9));
      assert.equal(cached.read(path, new Uint8Array(4096), 0), true, "created since");
      assert.equal(cached.read(path, new Uint8Array(4096), 8000), false, "only 2,000 left");
      assert.equal(cached.read(path, new Uint8Array(1023), 0), false, "under 1 KiB");
    } finally {
      cached.close();
    }
  });
});

Deno.test("many files: descriptors are closed and reopened, reads stay right", async () => {
  const cached = CachedReader.create()!;
  await withDir(async (dir) => {
    const files = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
      const data = randomBytes(8192, 100 + i);
      await Deno.writeFile(`${dir}/f${i}.bin`, data);
      return data;
    }));
    const openFds = () => [...Deno.readDirSync("/proc/self/fd")].length;
    const before = openFds();
    try {
      for (const round of [0, 1]) {
        for (const [i, data] of files.entries()) {
          const into = new Uint8Array(4096);
          assert.equal(cached.read(`${dir}/f${i}.bin`, into, 4096), true, `round ${round} f${i}`);
          assert.deepEqual(into, data.subarray(4096));
        }
      }
      assert.ok(openFds() - before <= 16, `${openFds() - before} descriptors kept open`);
    } finally {
      cached.close();
    }
    assert.equal(openFds(), before, "all closed");
  });
});
