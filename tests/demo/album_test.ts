import assert from "node:assert/strict";
import { ALBUM_NAME, albumFiles, writeAlbum } from "../../src/demo/album.ts";
import { fillDemoBytes } from "../../src/demo/demo_bytes.ts";

/** createTorrent's order: "/"-joined paths compared byte by byte. */
function byteOrder(a: string, b: string): number {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

Deno.test("album files sum to the size asked for, each at least a byte, in torrent order", () => {
  for (const total of [9, 10, 100, 4095, 1 << 20, 8 << 20, 200 * 1024 * 1024, 4096 * 1024 ** 2]) {
    const files = albumFiles(total);
    assert.equal(files.reduce((n, f) => n + f.length, 0), total, `${total}`);
    assert.ok(files.every((f) => f.length >= 1), `${total}`);
    const paths = files.map((f) => f.path);
    assert.deepEqual([...paths].sort(byteOrder), paths);
  }
  assert.ok(albumFiles(200 << 20).some((f) => f.path.endsWith(".flac")));
  assert.throws(() => albumFiles(8), RangeError);
  assert.throws(() => albumFiles(1.5e3 + 0.5), RangeError);
});

async function albumBytes(dir: string, files: { path: string }[]): Promise<Uint8Array> {
  const parts = await Promise.all(
    files.map((f) => Deno.readFile(`${dir}/${ALBUM_NAME}/${f.path}`)),
  );
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

Deno.test("a whole album holds the demo bytes of its offsets, across file boundaries", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = albumFiles(3_000_001);
    await writeAlbum(dir, files, { seed: 4 });
    const expected = new Uint8Array(3_000_001);
    fillDemoBytes(expected, 0, 4);
    assert.deepEqual(await albumBytes(dir, files), expected);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a partial album has full-size files with the chosen ranges and zeros elsewhere", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = albumFiles(2_000_003);
    // One range inside a file, one across several files, one reaching the end.
    const ranges = [
      { start: 4, end: 1000 },
      { start: 200_000, end: 1_300_000 },
      { start: 1_999_996, end: 2_000_003 },
    ];
    await writeAlbum(dir, files, { seed: 8, ranges });
    for (const f of files) {
      assert.equal((await Deno.stat(`${dir}/${ALBUM_NAME}/${f.path}`)).size, f.length, f.path);
    }
    const full = new Uint8Array(2_000_003);
    fillDemoBytes(full, 0, 8);
    const expected = new Uint8Array(full.length);
    for (const r of ranges) expected.set(full.subarray(r.start, r.end), r.start);
    assert.deepEqual(await albumBytes(dir, files), expected);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
