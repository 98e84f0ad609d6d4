import assert from "node:assert/strict";
import { ActivePieces, BlockState, hasFreeBlock } from "../../src/picker/active_pieces.ts";

const allocate = (size: number) => new Uint8Array(size);

Deno.test("a finished full-size piece's record comes back reset, with a new buffer", () => {
  const active = new ActivePieces(4, allocate);
  const first = active.start(0, 64, 4);
  first.state.fill(BlockState.Received);
  first.requesters.add(1, 7);
  first.requestedAt[2] = 123;
  first.contributors.add(7);
  first.received = 4;
  first.verifying = true;
  const firstData = first.data;
  active.finish(0);
  assert.equal(active.has(0), false);
  const second = active.start(5, 64, 4);
  assert.equal(second, first, "the same record");
  assert.equal(second.index, 5);
  assert.notEqual(second.data, firstData, "the old buffer belongs to whoever took it");
  assert.deepEqual([...second.state], [0, 0, 0, 0]);
  assert.deepEqual([...second.requestedAt], [0, 0, 0, 0]);
  assert.deepEqual([...second.requesters.peers()], []);
  assert.equal(second.contributors.size, 0);
  assert.equal(second.received, 0);
  assert.equal(second.verifying, false);
  assert.equal(hasFreeBlock(second), true);
  assert.deepEqual([...active.values()].map((p) => p.index), [5]);
});

Deno.test("a short last piece's record is not kept; an unknown index is ignored", () => {
  const active = new ActivePieces(4, allocate);
  const last = active.start(9, 20, 2);
  active.finish(9);
  active.finish(3);
  assert.notEqual(active.start(1, 64, 4), last);
  assert.notEqual(active.start(2, 20, 2), last, "only full-size records come back");
});

Deno.test("hasFreeBlock: false once every block is requested or received", () => {
  const piece = new ActivePieces(2, allocate).start(0, 32, 2);
  piece.state[0] = BlockState.Requested;
  assert.equal(hasFreeBlock(piece), true);
  piece.state[1] = BlockState.Received;
  assert.equal(hasFreeBlock(piece), false);
});
