import assert from "node:assert/strict";
import type { FileEntry } from "../../src/metainfo/types.ts";
import { FileLayout } from "../../src/storage/file_layout.ts";

function files(...lengths: number[]): FileEntry[] {
  let offset = 0;
  return lengths.map((length, i) => {
    const f = { path: [`f${i}`], length, offset, pad: false };
    offset += length;
    return f;
  });
}

Deno.test("a piece spanning three files, with an empty file between", () => {
  const layout = new FileLayout(files(3, 0, 2, 10), 8);
  assert.equal(layout.pieceCount, 2);
  assert.equal(layout.pieceSize(1), 7);
  assert.deepEqual(layout.segments(0, 0, 8), [
    { fileIndex: 0, fileOffset: 0, rangeOffset: 0, length: 3 },
    { fileIndex: 2, fileOffset: 0, rangeOffset: 3, length: 2 },
    { fileIndex: 3, fileOffset: 0, rangeOffset: 5, length: 3 },
  ]);
  assert.deepEqual(layout.segments(1, 2, 5), [
    { fileIndex: 3, fileOffset: 5, rangeOffset: 0, length: 5 },
  ]);
});

Deno.test("segments exactly cover the range, for every offset and length", () => {
  const layout = new FileLayout(files(5, 1, 0, 7, 3, 0, 9), 4);
  for (let start = 0; start < layout.totalLength; start++) {
    for (let length = 0; start + length <= layout.totalLength; length++) {
      const segs = layout.rangeSegments(start, length);
      assert.equal(segs.reduce((n, s) => n + s.length, 0), length);
      let at = 0;
      for (const s of segs) {
        assert.equal(s.rangeOffset, at);
        assert.equal(layout.files[s.fileIndex].offset + s.fileOffset, start + at);
        assert.ok(s.fileOffset + s.length <= layout.files[s.fileIndex].length);
        at += s.length;
      }
    }
  }
});

Deno.test("ranges outside the torrent are refused", () => {
  const layout = new FileLayout(files(10), 4);
  assert.throws(() => layout.rangeSegments(8, 3), RangeError);
  assert.throws(() => layout.pieceSize(3), RangeError);
});

Deno.test("filePieces names the pieces a file touches", () => {
  const layout = new FileLayout(files(5, 0, 7), 4);
  assert.deepEqual(layout.filePieces(0), { first: 0, last: 1 });
  assert.deepEqual(layout.filePieces(2), { first: 1, last: 2 });
  const empty = layout.filePieces(1);
  assert.ok(empty.last < empty.first);
});
