import assert from "node:assert/strict";
import type { FileEntry } from "../../src/metainfo/types.ts";
import { PiecePicker, Priority } from "../../src/picker/piece_picker.ts";
import { RarestFirst } from "../../src/picker/rarest_first.ts";
import { FileLayout } from "../../src/storage/file_layout.ts";
import { PriorityControl } from "../../src/torrent/priority_control.ts";
import type { TorrentState } from "../../src/torrent/snapshot.ts";

const PIECE = 8;
// File "a" fills pieces 0-1, a padding file piece 2, file "b" pieces 3-4 (the last one 4 bytes).
const FILES: FileEntry[] = [
  { path: ["a"], length: 16, offset: 0, pad: false },
  { path: [".pad", "8"], length: 8, offset: 16, pad: true },
  { path: ["dir", "b"], length: 12, offset: 24, pad: false },
];
const TOTAL = 36;

class FakePeer {
  readonly preempted: number[] = [];
  preempt(keep: number): void {
    this.preempted.push(keep);
  }
}

function setup(setSkipped: () => Promise<void> = () => Promise.resolve()) {
  const bytes = Uint8Array.from({ length: TOTAL }, (_, i) => i);
  const picker = new PiecePicker({
    pieceCount: 5,
    pieceLength: PIECE,
    totalLength: TOTAL,
    strategy: new RarestFirst(() => 0),
  });
  const fast = new FakePeer();
  const slow = new FakePeer();
  const events = { refreshes: 0, skipped: [] as [number, boolean][], failed: [] as string[] };
  const done: boolean[] = [];
  const host = {
    metainfo: { name: "album", files: FILES, pieceLength: PIECE, pieceCount: 5 },
    layout: new FileLayout(FILES, PIECE),
    picker,
    sessions: new Map([[1, fast], [2, slow]]),
    swarm: { isFast: (peer: FakePeer) => peer === fast, refresh: () => void events.refreshes++ },
    state: "downloading" as TorrentState,
    error: undefined as string | undefined,
    readBlock: (index: number, begin: number, length: number) => {
      assert.ok(picker.have.has(index), `read of piece ${index}, which is not verified`);
      const at = index * PIECE + begin;
      return Promise.resolve(bytes.slice(at, at + length));
    },
  };
  const control = new PriorityControl(host, {
    disk: {
      setSkipped: (fileIndex, skipped) => {
        events.skipped.push([fileIndex, skipped]);
        return setSkipped();
      },
    },
    failed: (message) => events.failed.push(message),
    doneChanged: (now) => done.push(now),
  });
  /** What the write path does when a piece verifies. */
  const verify = (index: number) => {
    picker.markVerified(index);
    control.pieceVerified(index);
  };
  return { bytes, picker, fast, slow, host, control, events, done, verify };
}

Deno.test("skipping a file takes its pieces off the list, tells the disk and the peers", () => {
  const t = setup();
  t.control.setFilePriority(2, "skip");
  assert.equal(t.control.filePriority(2), "skip");
  assert.equal(t.picker.priority(3), Priority.Skip);
  assert.equal(t.picker.priority(4), Priority.Skip);
  assert.equal(t.picker.priority(0), Priority.Normal);
  assert.deepEqual(t.events.skipped, [[2, true]]);
  assert.equal(t.events.refreshes, 1);

  t.control.setFilePriority(1, "high"); // the padding file
  t.control.setFilePriority(7, "high"); // no such file
  assert.deepEqual(t.events.skipped, [[2, true]], "ignored: nothing to tell the disk");
  assert.equal(t.events.refreshes, 1, "ignored: nothing to apply");
});

Deno.test("a disk that cannot skip a file fails the torrent", async () => {
  const t = setup(() => Promise.reject(new Error("parts file: permission denied")));
  t.control.setFilePriority(0, "skip");
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(t.events.failed, ["parts file: permission denied"]);
});

Deno.test("done changes when priorities finish the download or want more of it", () => {
  const t = setup();
  t.picker.markVerified(0);
  t.picker.markVerified(1);
  t.control.setFilePriority(0, "high");
  assert.deepEqual(t.done, [], "file b is still wanted");
  t.control.setFilePriority(2, "skip");
  assert.deepEqual(t.done, [true]);
  t.control.setFilePriority(2, "low");
  assert.deepEqual(t.done, [true, false]);
});

Deno.test("a prioritized range is raised until taken back; a file keeps its new priority", () => {
  const t = setup();
  const undo = t.control.prioritize({ start: 24, end: 28 }, "high");
  assert.equal(t.picker.priority(3), Priority.High);
  assert.equal(t.picker.priority(4), Priority.Normal);
  undo();
  assert.equal(t.picker.priority(3), Priority.Normal);

  t.control.prioritize(0, "low")();
  assert.equal(t.control.filePriority(0), "low");
  assert.equal(t.picker.priority(0), Priority.Low);
});

Deno.test("a streaming read comes first, cuts the fast peers' queues, and yields bytes as pieces verify", async () => {
  const t = setup();
  const reader = t.control.read(2, 2, 12).getReader(); // torrent bytes 26-36: pieces 3 and 4
  assert.equal(t.control.streaming, true);
  assert.equal(t.picker.priority(3), Priority.Max);
  assert.ok(t.picker.priority(4) >= Priority.Critical);
  assert.deepEqual(t.fast.preempted, [16]);
  assert.deepEqual(t.slow.preempted, [], "slow peers never get critical pieces anyway");

  const first = reader.read();
  await new Promise((resolve) => setTimeout(resolve, 5));
  t.verify(3);
  assert.deepEqual((await first).value, t.bytes.slice(26, 32));
  const second = reader.read();
  t.verify(4);
  assert.deepEqual((await second).value, t.bytes.slice(32, 36));
  assert.equal((await reader.read()).done, true);
  assert.equal(t.control.streaming, false, "the window closes with the stream");
});

Deno.test("a read waiting for a piece fails once the torrent has failed", async () => {
  const t = setup();
  t.host.state = "error";
  t.host.error = "disk full";
  const reader = t.control.read(0, 0, 4).getReader();
  await assert.rejects(reader.read(), /disk full/);
});

Deno.test("reads outside a file are refused", () => {
  const t = setup();
  assert.throws(() => t.control.read(0, 0, 17), RangeError);
  assert.throws(() => t.control.read(0, 5, 4), RangeError);
  assert.throws(() => t.control.read(3, 0, 1), RangeError);
  assert.equal(t.control.streaming, false);
});

Deno.test("the stream source lists the files without padding, and reads through the control", async () => {
  const t = setup();
  const source = t.control.streamSource();
  assert.equal(source.name, "album");
  assert.deepEqual(source.files, [
    { index: 0, path: "a", length: 16 },
    { index: 2, path: "dir/b", length: 12 },
  ]);
  t.verify(0);
  const chunks = await Array.fromAsync(source.read(0, 1, 5));
  assert.deepEqual(chunks, [t.bytes.slice(1, 5)]);
});

Deno.test("bytes left count the wanted pieces not yet verified", () => {
  const t = setup();
  assert.equal(t.control.bytesLeft(), TOTAL);
  t.control.setFilePriority(0, "high"); // applied: the padding piece is not wanted
  assert.equal(t.control.bytesLeft(), TOTAL - PIECE);
  t.picker.markVerified(0);
  t.control.setFilePriority(2, "skip");
  assert.equal(t.control.bytesLeft(), PIECE);
});
