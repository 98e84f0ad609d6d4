import assert from "node:assert/strict";
import { dirname, OpenFiles } from "../../src/storage/open_files.ts";

Deno.test("files opened for writing are created in their folders at their final size", async () => {
  const dir = await Deno.makeTempDir();
  const files = new OpenFiles({ pathOf: (i) => `${dir}/sub/f${i}`, lengthOf: (i) => 1000 * i });
  try {
    const open = await files.open(3, true);
    assert.equal(open.writable, true);
    assert.equal((await Deno.stat(`${dir}/sub/f3`)).size, 3000, "sparse, full length");
    assert.deepEqual(files.writable(), [open]);
    assert.equal(await files.open(3, false), open, "a writable file also serves reads");
  } finally {
    await files.closeAll();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("past the limit the least recently used file is closed; a read-only file is reopened to write", async () => {
  const dir = await Deno.makeTempDir();
  for (const i of [0, 1, 2]) await Deno.writeFile(`${dir}/f${i}`, new Uint8Array([i]));
  const files = new OpenFiles({ pathOf: (i) => `${dir}/f${i}`, lengthOf: () => 1, maxOpen: 2 });
  try {
    const f0 = await files.open(0, false);
    const f1 = await files.open(1, false);
    assert.equal(await files.open(0, false), f0, "still open; now the newest");
    await files.open(2, false); // closes f1, the least recently used
    assert.throws(() => f1.file.statSync(), Deno.errors.BadResource);
    assert.ok(f0.file.statSync().isFile, "f0 stays open");
    const f0w = await files.open(0, true);
    assert.notEqual(f0w, f0);
    assert.equal(f0w.writable, true);
    assert.throws(() => f0.file.statSync(), Deno.errors.BadResource, "the read-only one closed");
  } finally {
    await files.closeAll();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dirname keeps everything before the last slash", () => {
  assert.equal(dirname("downloads/album/a.flac"), "downloads/album");
  assert.equal(dirname("/a"), "/");
});
