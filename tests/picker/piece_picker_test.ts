import assert from "node:assert/strict";
import { BLOCK_SIZE, PiecePicker, Priority } from "../../src/picker/piece_picker.ts";
import type { PieceStrategy } from "../../src/picker/piece_strategy.ts";
import { RarestFirst } from "../../src/picker/rarest_first.ts";
import { Sequential } from "../../src/picker/sequential.ts";
import { Bitfield } from "../../src/util/bitfield.ts";

const PIECE = 4 * BLOCK_SIZE;

function picker(pieces: number, lastPieceSize = PIECE, strategy: PieceStrategy = new Sequential()) {
  return new PiecePicker({
    pieceCount: pieces,
    pieceLength: PIECE,
    totalLength: (pieces - 1) * PIECE + lastPieceSize,
    strategy,
  });
}

function block(length = BLOCK_SIZE, fill = 1) {
  return new Uint8Array(length).fill(fill);
}

Deno.test("requests finish a started piece before starting another", () => {
  const p = picker(3);
  const all = Bitfield.full(3);
  const first = p.nextRequests(1, all, 2);
  assert.deepEqual(first.map((r) => [r.index, r.begin]), [[0, 0], [0, BLOCK_SIZE]]);
  const next = p.nextRequests(2, all, 3);
  assert.deepEqual(next.map((r) => [r.index, r.begin]), [[0, 2 * BLOCK_SIZE], [0, 3 * BLOCK_SIZE], [
    1,
    0,
  ]]);
});

Deno.test("the last piece's last block is short", () => {
  const p = picker(2, BLOCK_SIZE + 100);
  const refs = p.nextRequests(1, Bitfield.full(2), 10);
  assert.deepEqual(refs.at(-1), { index: 1, begin: BLOCK_SIZE, length: 100 });
  assert.equal(refs.length, 6);
});

Deno.test("only pieces the peer has are requested from it", () => {
  const p = picker(4);
  const bits = new Bitfield(4);
  bits.set(2);
  const refs = p.nextRequests(1, bits, 100);
  assert.ok(refs.length === 4 && refs.every((r) => r.index === 2));
});

Deno.test("a completed piece is reported once all blocks arrive; a wrong-size block is invalid", () => {
  const p = picker(1);
  const refs = p.nextRequests(1, Bitfield.full(1), 4);
  assert.equal(p.onBlock(1, 0, 0, block(100)).kind, "invalid");
  assert.equal(p.onBlock(1, 0, 5, block()).kind, "invalid");
  let last;
  for (const r of refs) {
    last = p.onBlock(1, r.index, r.begin, block(r.length, r.begin / BLOCK_SIZE));
  }
  assert(last?.kind === "stored" && last.piece.verifying);
  assert.deepEqual(
    last.piece.data.subarray(BLOCK_SIZE * 3, BLOCK_SIZE * 3 + 2),
    new Uint8Array([3, 3]),
  );
  assert.equal(p.onBlock(1, 0, 0, block()).kind, "unneeded");
  p.markVerified(0);
  assert.ok(p.done && p.have.has(0));
});

Deno.test("a failed piece becomes requestable again and names its contributors", () => {
  const p = picker(1);
  for (const r of p.nextRequests(7, Bitfield.full(1), 4)) p.onBlock(7, r.index, r.begin, block());
  assert.deepEqual(p.markFailed(0), [7]);
  assert.equal(p.nextRequests(8, Bitfield.full(1), 4).length, 4);
});

Deno.test("a finished piece's record is reused for the next piece, reset", () => {
  const p = picker(3);
  const all = Bitfield.full(3);
  for (const r of p.nextRequests(7, all, 4)) p.onBlock(7, r.index, r.begin, block());
  const first = [...p.active][0];
  assert.equal(first.index, 0);
  p.markVerified(0);
  // Piece 1 gets the record of piece 0, with nothing of piece 0 left in it.
  const refs = p.nextRequests(8, all, 2);
  assert.deepEqual(refs.map((r) => [r.index, r.begin]), [[1, 0], [1, BLOCK_SIZE]]);
  const second = [...p.active][0];
  assert.equal(second, first, "the same record");
  assert.equal(second.index, 1);
  assert.equal(second.received, 0);
  assert.equal(second.verifying, false);
  assert.equal(second.contributors.size, 0);
  assert.deepEqual([...second.requesters.peers()], [8, 8]);
  // Blocks 2 and 3 arrived for piece 0: for piece 1 they are free again.
  assert.deepEqual(p.nextRequests(9, all, 2).map((r) => [r.index, r.begin]), [
    [1, 2 * BLOCK_SIZE],
    [1, 3 * BLOCK_SIZE],
  ]);
  const outcome = p.onBlock(8, 1, 0, block(BLOCK_SIZE, 5));
  assert(outcome.kind === "stored" && outcome.cancel.length === 0);
  assert.deepEqual([...second.contributors], [8]);
});

Deno.test("released blocks go to the next peer", () => {
  const p = picker(1);
  const all = Bitfield.full(1);
  const refs = p.nextRequests(1, all, 4);
  p.release(1, 0, refs[1].begin);
  assert.deepEqual(p.nextRequests(2, all, 1), [refs[1]]);
});

Deno.test("endgame: blocks in flight are asked of a second peer, never a third, and cancelled", () => {
  const p = picker(1);
  const all = Bitfield.full(1);
  assert.equal(p.nextRequests(1, all, 4).length, 4);
  const dup = p.nextRequests(2, all, 4);
  assert.equal(dup.length, 4);
  assert.equal(p.nextRequests(3, all, 4).length, 0);
  const outcome = p.onBlock(2, 0, 0, block());
  assert(outcome.kind === "stored");
  assert.deepEqual(outcome.cancel, [1]);
});

Deno.test("higher priority pieces come first, and skipped pieces never", () => {
  const p = picker(4, PIECE, new RarestFirst(() => 0));
  const all = Bitfield.full(4);
  p.setPriority(0, Priority.Skip);
  p.setPriority(3, Priority.High);
  assert.ok(p.nextRequests(1, all, 4).every((r) => r.index === 3));
  const rest = p.nextRequests(1, all, 100);
  assert.ok(rest.every((r) => r.index === 1 || r.index === 2));
  assert.ok(!p.wants(0));
});

Deno.test("a new high-priority piece overtakes a started normal one", () => {
  const p = picker(3);
  const all = Bitfield.full(3);
  p.nextRequests(1, all, 2); // piece 0 half requested
  p.setPriority(2, Priority.High);
  assert.ok(p.nextRequests(1, all, 4).every((r) => r.index === 2));
});

Deno.test("rarest-first picks the piece fewest peers have", () => {
  const p = picker(3, PIECE, new RarestFirst());
  const common = Bitfield.full(3);
  const rare = new Bitfield(3);
  rare.set(1);
  p.addAvailability(common);
  p.addAvailability(common);
  const a = new Bitfield(3);
  a.set(0);
  a.set(2);
  p.addAvailability(a);
  assert.equal(p.nextRequests(1, common, 1)[0].index, 1);
  p.removeAvailability(common);
  p.removeAvailability(common);
  assert.equal(p.availability(0), 1);
});

Deno.test("rarest-first breaks ties at random across the tied pieces", () => {
  const seen = new Set<number>();
  let seed = 1;
  const strategy = new RarestFirst(() => {
    seed = (seed * 16807) % 2147483647; // Park-Miller: deterministic, well spread
    return seed / 2147483647;
  });
  for (let i = 0; i < 50; i++) {
    const p = picker(5, PIECE, strategy);
    seen.add(p.nextRequests(1, Bitfield.full(5), 1)[0].index);
  }
  assert.ok(seen.size >= 3, `only ${[...seen]}`);
});

Deno.test("wantsAnyOf tells whether a peer is interesting", () => {
  const p = picker(2);
  const bits = new Bitfield(2);
  assert.equal(p.wantsAnyOf(bits), false);
  bits.set(1);
  assert.equal(p.wantsAnyOf(bits), true);
  p.setPriority(1, Priority.Skip);
  assert.equal(p.wantsAnyOf(bits), false);
});

Deno.test("topPriority follows priorities and verified pieces, without a scan", () => {
  const p = picker(4);
  assert.equal(p.topPriority, Priority.Normal);
  p.setPriority(2, Priority.Critical);
  assert.equal(p.topPriority, Priority.Critical);
  p.markVerified(2);
  assert.equal(p.topPriority, Priority.Normal, "a verified piece no longer counts");
  p.setPriority(2, Priority.Max); // already verified: changes nothing
  assert.equal(p.topPriority, Priority.Normal);
  for (const i of [0, 1, 3]) p.setPriority(i, Priority.Skip);
  assert.equal(p.topPriority, 0, "nothing wanted");
});

Deno.test("rarest-first does not stop early at a piece another peer also has", () => {
  // The scan starts at piece 0; piece 0 is held by two peers, piece 3 only by this one.
  const p = picker(4, PIECE, new RarestFirst(() => 0));
  p.addAvailability(Bitfield.full(4));
  const second = new Bitfield(4);
  for (const i of [0, 1, 2]) second.set(i);
  p.addAvailability(second);
  assert.equal(p.nextRequests(1, Bitfield.full(4), 1)[0].index, 3);
});

Deno.test("sequential takes the first piece of the top priority", () => {
  const p = picker(5, PIECE, new Sequential());
  p.setPriority(3, Priority.High);
  assert.equal(p.nextRequests(1, Bitfield.full(5), 1)[0].index, 3);
  const q = picker(5, PIECE, new Sequential());
  q.setPriority(1, Priority.High);
  q.setPriority(3, Priority.High);
  assert.equal(q.nextRequests(1, Bitfield.full(5), 1)[0].index, 1);
});
