import assert from "node:assert/strict";
import { BLOCK_SIZE, PiecePicker } from "../../src/picker/piece_picker.ts";
import { RarestFirst } from "../../src/picker/rarest_first.ts";
import { toHex } from "../../src/util/bytes.ts";
import { RateMeter } from "../../src/util/rate_meter.ts";
import { BlockIntake, type IntakePeer } from "../../src/torrent/block_intake.ts";

const EVERYTHING = { has: () => true };

class FakePeer implements IntakePeer {
  readonly down = { total: 0 };
  readonly conn: { remote: { peerId: Uint8Array } };
  strikes = 0;
  closedFor: string | undefined;
  readonly cancels: [number, number, number][] = [];
  fills = 0;

  constructor(readonly key: number) {
    this.conn = { remote: { peerId: new Uint8Array(20).fill(key) } };
  }

  close(reason: string): void {
    this.closedFor = reason;
  }

  cancel(index: number, begin: number, length: number): void {
    this.cancels.push([index, begin, length]);
  }

  fillRequests(): void {
    this.fills++;
  }
}

/** A torrent of `pieces` pieces of two blocks each, with an intake whose store says `write`. */
function setup(write: (index: number) => Promise<boolean>, pieces = 2) {
  const picker = new PiecePicker({
    pieceCount: pieces,
    pieceLength: 2 * BLOCK_SIZE,
    totalLength: pieces * 2 * BLOCK_SIZE,
    strategy: new RarestFirst(() => 0),
  });
  const sessions = new Map<number, FakePeer>();
  const bans: [FakePeer, string][] = [];
  const broadcasts: unknown[] = [];
  const logs: string[] = [];
  const verified: number[] = [];
  const failed: string[] = [];
  const written: number[] = [];
  const host = {
    picker,
    store: {
      pendingBytes: 0,
      writePiece: (index: number, _data: Uint8Array) => {
        written.push(index);
        return write(index);
      },
    },
    sessions,
    down: new RateMeter(),
    contributors: new Set<string>(),
    wasted: 0,
    swarm: {
      broadcast: (message: unknown) => void broadcasts.push(message),
      ban: (peer: FakePeer, reason: string) => void bans.push([peer, reason]),
    },
    addLog: (_level: "warn", text: string) => void logs.push(text),
  };
  const intake = new BlockIntake(host, {
    verified: (index) => verified.push(index),
    failed: (message) => failed.push(message),
  });
  const peer = (key: number) => {
    const p = new FakePeer(key);
    sessions.set(key, p);
    return p;
  };
  /** Delivers every block the picker gives `from` next, as a session would. */
  const deliver = (from: FakePeer, count: number) => {
    for (const ref of picker.nextRequests(from.key, EVERYTHING, count)) {
      const block = new Uint8Array(picker.blockLength(ref.index, ref.begin));
      from.down.total += block.length;
      intake.onBlock(from, ref.index, ref.begin, block);
    }
  };
  return { picker, host, intake, peer, deliver, bans, broadcasts, logs, verified, failed, written };
}

Deno.test("a piece that verifies is marked, announced, reported, and every peer asked for more", async () => {
  const t = setup(() => Promise.resolve(true));
  const a = t.peer(1);
  const b = t.peer(2);
  t.deliver(a, 2);
  await t.intake.settled();
  assert.deepEqual(t.written, [0]);
  assert.ok(t.picker.have.has(0));
  assert.deepEqual(t.broadcasts, [{ type: "have", index: 0 }]);
  assert.deepEqual(t.verified, [0]);
  assert.equal(a.fills, 1);
  assert.equal(b.fills, 1);
  assert.equal(t.host.down.total, 2 * BLOCK_SIZE);
  assert.equal(t.host.wasted, 0);
  assert.deepEqual([...t.host.contributors], [toHex(a.conn.remote.peerId)]);
  assert.deepEqual(t.bans, []);
});

Deno.test("a failed piece from one peer alone gets that peer banned at once", async () => {
  const t = setup(() => Promise.resolve(false));
  const a = t.peer(1);
  t.deliver(a, 2);
  await t.intake.settled();
  assert.ok(!t.picker.have.has(0));
  assert.equal(t.host.wasted, 2 * BLOCK_SIZE);
  assert.deepEqual(t.verified, []);
  assert.equal(t.bans.length, 1);
  assert.equal(t.bans[0][0], a);
  assert.match(t.bans[0][1], /failed the hash check \(piece 0\)/);
  assert.match(t.logs[0], /piece 0 failed its hash check/);
  assert.equal(a.fills, 1, "the piece is fetched again");
});

Deno.test("peers sharing failed pieces are struck, and banned at the third", async () => {
  const t = setup(() => Promise.resolve(false));
  const a = t.peer(1);
  const b = t.peer(2);
  for (let round = 1; round <= 3; round++) {
    t.deliver(a, 1); // block 0 of piece 0
    t.deliver(b, 1); // block 1 of the same piece: it is whole
    await t.intake.settled();
    assert.equal(a.strikes, round);
    assert.equal(b.strikes, round);
    assert.equal(t.bans.length, round < 3 ? 0 : 2, `after failure ${round}`);
  }
  assert.deepEqual(t.written, [0, 0, 0]);
  assert.deepEqual(t.bans.map(([peer]) => peer), [a, b]);
});

Deno.test("a bad block closes its peer; an unneeded one is counted as waste", () => {
  const t = setup(() => Promise.resolve(true));
  const a = t.peer(1);
  t.picker.nextRequests(a.key, EVERYTHING, 1);
  t.intake.onBlock(a, 0, 0, new Uint8Array(100));
  assert.match(a.closedFor ?? "", /^sent a bad block: block of 100 bytes/);
  assert.equal(t.host.down.total, 0, "a protocol violation is not payload");

  const b = t.peer(2);
  t.intake.onBlock(b, 1, 0, new Uint8Array(BLOCK_SIZE)); // piece 1 was never asked for
  assert.equal(b.closedFor, undefined);
  assert.equal(t.host.down.total, BLOCK_SIZE);
  assert.equal(t.host.wasted, BLOCK_SIZE);
  assert.equal(t.host.contributors.size, 0);
  assert.deepEqual(t.written, []);
});

Deno.test("a block others were asked for too is cancelled at those peers", () => {
  const t = setup(() => Promise.resolve(true), 1);
  const a = t.peer(1);
  const b = t.peer(2);
  const asked = t.picker.nextRequests(a.key, EVERYTHING, 2); // the whole piece
  const [copy] = t.picker.nextRequests(b.key, EVERYTHING, 1); // endgame: one of those blocks
  assert.ok(asked.some((ref) => ref.begin === copy.begin));
  a.down.total += BLOCK_SIZE;
  t.intake.onBlock(a, copy.index, copy.begin, new Uint8Array(BLOCK_SIZE));
  assert.deepEqual(b.cancels, [[copy.index, copy.begin, BLOCK_SIZE]]);
  assert.deepEqual(a.cancels, []);
});

Deno.test("only a peer's first block makes it a contributor", () => {
  const t = setup(() => new Promise(() => {}));
  const a = t.peer(1);
  a.down.total = 5 * BLOCK_SIZE; // it sent blocks before, already counted
  t.deliver(a, 1);
  assert.equal(t.host.contributors.size, 0);
});

Deno.test("a store that fails is fatal: reported, and no peer is asked for more", async () => {
  const t = setup(() => Promise.reject(new Error("disk full")));
  const a = t.peer(1);
  t.deliver(a, 2);
  await t.intake.settled();
  assert.deepEqual(t.failed, ["disk full"]);
  assert.equal(a.fills, 0);
  assert.ok(!t.picker.have.has(0));
});

Deno.test("settled waits for a write in progress", async () => {
  const write = Promise.withResolvers<boolean>();
  const t = setup(() => write.promise);
  t.deliver(t.peer(1), 2);
  let settled = false;
  const done = t.intake.settled().then(() => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(settled, false);
  write.resolve(true);
  await done;
  assert.deepEqual(t.verified, [0]);
});

Deno.test("blocks stop being accepted while 4 MiB wait for the disk", () => {
  const t = setup(() => Promise.resolve(true));
  assert.equal(t.intake.accepting, true);
  t.host.store.pendingBytes = 4 * 1024 * 1024 - 1;
  assert.equal(t.intake.accepting, true);
  t.host.store.pendingBytes = 4 * 1024 * 1024;
  assert.equal(t.intake.accepting, false);
});
