import assert from "node:assert/strict";
import { Priority } from "../../src/picker/piece_picker.ts";
import { FileLayout } from "../../src/storage/file_layout.ts";
import { PiecePriorities, READAHEAD_BYTES } from "../../src/torrent/piece_priorities.ts";

const MiB = 1 << 20;

function layout() {
  // Two files of 10 MiB and 6 MiB in 1 MiB pieces: piece 9 is all file 0, piece 10 all file 1.
  return new FileLayout([
    { path: ["a"], length: 10 * MiB, offset: 0, pad: false },
    { path: ["b"], length: 6 * MiB, offset: 10 * MiB, pad: false },
  ], MiB);
}

Deno.test("file priorities, with skipped files at 0", () => {
  const plan = new PiecePriorities(layout());
  plan.setFilePriority(1, "skip");
  const p = plan.compute();
  assert.equal(p[0], Priority.Normal);
  assert.equal(p[10], Priority.Skip);
  plan.setFilePriority(0, "high");
  assert.equal(plan.compute()[3], Priority.High);
});

Deno.test("a streaming window ranks pieces from its position on, nearest first, over its readahead", () => {
  const plan = new PiecePriorities(layout());
  const id = plan.openWindow({ start: 2 * MiB + 5, end: 16 * MiB });
  let p = plan.compute();
  assert.equal(p[2], Priority.Max);
  assert.equal(p[3], Priority.Max - 1);
  assert.ok(p[2] > p[3] && p[3] > p[4] && p[4] > Priority.High);
  const last = 2 + READAHEAD_BYTES / MiB;
  assert.equal(p[last + 1], Priority.Normal, "beyond the readahead: normal again");
  plan.moveWindow(id, 12 * MiB);
  p = plan.compute();
  assert.equal(p[2], Priority.Normal, "behind the reader: no longer urgent");
  assert.equal(p[12], Priority.Max);
  plan.closeWindow(id);
  assert.ok(plan.compute().every((x) => x === Priority.Normal));
});

Deno.test("a prioritized range beats a skipped file, and is taken back", () => {
  const plan = new PiecePriorities(layout());
  plan.setFilePriority(1, "skip");
  const id = plan.addRange({ start: 11 * MiB, end: 12 * MiB }, Priority.High);
  assert.equal(plan.compute()[11], Priority.High);
  assert.equal(plan.compute()[12], Priority.Skip);
  plan.removeRange(id);
  assert.equal(plan.compute()[11], Priority.Skip);
});
