import assert from "node:assert/strict";
import { BLOCK_SIZE } from "../../src/picker/piece_picker.ts";
import {
  type PieceMessage,
  UploadQueue,
  type UploadSource,
} from "../../src/torrent/upload_queue.ts";
import { Bitfield } from "../../src/util/bitfield.ts";
import { TokenBucket } from "../../src/util/token_bucket.ts";
import type { BlockRef, Message } from "../../src/wire/messages.ts";

const PIECE = 2 * BLOCK_SIZE;
/** Four pieces, the last one short; we have all but piece 2. */
const PIECE_COUNT = 4;
const LAST_PIECE = 20_000;

/** A disk read the test finishes by hand, to see what starts before what completes. */
interface PendingRead extends BlockRef {
  resolve(block: Uint8Array): void;
  reject(error: Error): void;
}

function harness(
  options: {
    fast?: boolean;
    limiter?: TokenBucket;
    /** Reads complete at once instead of when the test finishes them. */
    instant?: boolean;
    read?: UploadSource["readBlock"];
  } = {},
) {
  const have = new Bitfield(PIECE_COUNT);
  for (const i of [0, 1, 3]) have.set(i);
  const reads: PendingRead[] = [];
  const prefetched: number[] = [];
  const released: Uint8Array[] = [];
  const source: UploadSource = {
    picker: {
      pieceCount: PIECE_COUNT,
      have,
      pieceSize: (i) => i === PIECE_COUNT - 1 ? LAST_PIECE : PIECE,
    },
    uploadLimiter: options.limiter,
    readBlock: options.read ?? ((index, begin, length) => {
      const { promise, resolve, reject } = Promise.withResolvers<Uint8Array>();
      reads.push({ index, begin, length, resolve, reject });
      if (options.instant) resolve(blockFor({ index, begin, length }));
      return promise;
    }),
    releaseBlock: (block) => released.push(block),
    prefetchPiece: (index) => prefetched.push(index),
  };
  const sent: Message[] = [];
  const peer = { amChoking: false, send: (message: Message) => sent.push(message) };
  const queue = new UploadQueue(source, peer, options.fast ?? true);
  return { queue, peer, sent, reads, prefetched, released };
}

/** The block bytes a fake read returns: its first byte tells which request it answers. */
function blockFor(ref: BlockRef, tag = ref.index * 16 + ref.begin / BLOCK_SIZE): Uint8Array {
  return new Uint8Array(ref.length).fill(tag);
}

function finish(reads: readonly PendingRead[]): void {
  for (const read of reads) read.resolve(blockFor(read));
}

const req = (index: number, begin = 0, length = BLOCK_SIZE): BlockRef => ({ index, begin, length });
const refsOf = (pieces: readonly PieceMessage[]) => pieces.map((p) => [p.index, p.begin]);

Deno.test("requests for blocks we cannot serve throw; valid ones are queued", () => {
  const { queue } = harness();
  assert.throws(() => queue.request(req(2)), /request for piece 2, which we do not have/);
  assert.throws(() => queue.request(req(4)), /request for piece 4/);
  assert.throws(() => queue.request(req(0, 0, 0)), /request of 0 bytes/);
  assert.throws(() => queue.request(req(0, 0, BLOCK_SIZE + 1)), /request of 16385 bytes/);
  assert.throws(() => queue.request(req(0, BLOCK_SIZE + 1)), /request beyond piece 0/);
  assert.throws(() => queue.request(req(3, BLOCK_SIZE, LAST_PIECE - BLOCK_SIZE + 1)), /beyond/);
  assert.equal(queue.length, 0);
  assert.equal(queue.request(req(3, BLOCK_SIZE, LAST_PIECE - BLOCK_SIZE)), true);
  assert.equal(queue.request(req(1, BLOCK_SIZE)), true);
  assert.equal(queue.length, 2);
});

Deno.test("a peer queueing more than 2048 requests is a flood", () => {
  const { queue } = harness();
  for (let i = 0; i < 2048; i++) queue.request(req(0));
  assert.equal(queue.length, 2048);
  assert.throws(() => queue.request(req(0)), /request flood/);
  assert.equal(queue.length, 2048);
});

Deno.test("while we choke, requests are rejected (fast extension) and never queued", () => {
  const fast = harness({ fast: true });
  fast.peer.amChoking = true;
  assert.equal(fast.queue.request({ index: 1, begin: BLOCK_SIZE, length: 100 }), false);
  assert.equal(fast.queue.length, 0);
  assert.deepEqual(fast.sent, [{ type: "reject", index: 1, begin: BLOCK_SIZE, length: 100 }]);
  // Bad requests still break the protocol while choked.
  assert.throws(() => fast.queue.request(req(2)), /do not have/);

  const plain = harness({ fast: false });
  plain.peer.amChoking = true;
  assert.equal(plain.queue.request(req(0)), false);
  assert.equal(plain.queue.length, 0);
  assert.deepEqual(plain.sent, []);
});

Deno.test("choking rejects every queued request, in order, only to a fast-extension peer", () => {
  for (const fast of [true, false]) {
    const { queue, sent } = harness({ fast });
    queue.request(req(0));
    queue.request(req(1, BLOCK_SIZE));
    queue.request(req(3, 0, 500));
    queue.rejectAll();
    assert.equal(queue.length, 0);
    assert.deepEqual(
      sent,
      fast
        ? [
          { type: "reject", index: 0, begin: 0, length: BLOCK_SIZE },
          { type: "reject", index: 1, begin: BLOCK_SIZE, length: BLOCK_SIZE },
          { type: "reject", index: 3, begin: 0, length: 500 },
        ]
        : [],
    );
  }
});

Deno.test("waitMs: Infinity with nothing to serve or while choking, else 0 without a limit", () => {
  const { queue, peer } = harness();
  assert.equal(queue.waitMs(), Infinity);
  queue.request(req(0));
  assert.equal(queue.waitMs(), 0);
  peer.amChoking = true;
  assert.equal(queue.waitMs(), Infinity);
});

Deno.test("a batch's reads all start at once, and the next batch's pieces are read ahead", async () => {
  const { queue, reads, prefetched } = harness();
  for (let i = 0; i < 70; i++) queue.request(req(i < 40 ? 0 : 1, 0, 100 + i));
  const batch = queue.nextBatch(queue.waitMs());
  // Before any read completed: 32 reads for this batch, and the pieces of the next 32 requests
  // (8 of piece 0, 24 of piece 1) asked for once each.
  assert.equal(reads.length, 32);
  assert.deepEqual(reads.map((r) => r.length), [...Array(32).keys()].map((i) => 100 + i));
  assert.deepEqual(prefetched, [0, 1]);
  assert.equal(queue.length, 70 - 32);
  finish(reads);
  const pieces = await batch;
  assert.equal(pieces.length, 32);
  assert.deepEqual(pieces.map((p) => p.block.length), [...Array(32).keys()].map((i) => 100 + i));
  for (const p of pieces) {
    assert.equal(p.type, "piece");
    assert.equal(p.block[0], p.index * 16);
  }
});

Deno.test("the tail of the queue is read without read-ahead", async () => {
  const { queue, reads, prefetched } = harness({ instant: true });
  for (let i = 0; i < 40; i++) queue.request(req(0, 0, 1 + i));
  assert.equal((await queue.nextBatch(queue.waitMs())).length, 32);
  assert.deepEqual(prefetched, [0]);
  reads.length = 0;
  const tail = queue.nextBatch(queue.waitMs());
  assert.deepEqual(reads.map((r) => r.length), [33, 34, 35, 36, 37, 38, 39, 40]);
  assert.deepEqual(prefetched, [0], "nothing queued behind the tail");
  assert.equal((await tail).length, 8);
  assert.equal(queue.length, 0);
});

Deno.test("sent blocks are released by release(); dropped ones as soon as their read ends", async () => {
  const { queue, reads, released } = harness();
  for (const ref of [req(0), req(0, BLOCK_SIZE), req(1)]) queue.request(ref);
  const batch = queue.nextBatch(queue.waitMs());
  queue.cancel(0, BLOCK_SIZE);
  finish(reads);
  const pieces = await batch;
  // A block's first byte tells which request it answers: index * 16 + block number.
  assert.deepEqual(pieces.map((p) => p.block[0]), [0, 16]);
  assert.deepEqual(released.map((b) => b[0]), [1], "the cancelled block, at once");
  queue.release(pieces);
  assert.deepEqual(released.map((b) => b[0]), [1, 0, 16]);
});

Deno.test("cancel drops a queued request and one whose read is in flight", async () => {
  const { queue, reads, released } = harness();
  queue.request(req(0));
  queue.request(req(0, BLOCK_SIZE));
  queue.request(req(1));
  queue.request(req(1, BLOCK_SIZE));
  queue.cancel(1, 0);
  assert.equal(queue.length, 3);
  queue.cancel(3, 0); // never asked for: no effect
  assert.equal(queue.length, 3);
  const batch = queue.nextBatch(queue.waitMs());
  assert.equal(reads.length, 3);
  queue.cancel(0, BLOCK_SIZE);
  finish(reads);
  assert.deepEqual(refsOf(await batch), [[0, 0], [1, BLOCK_SIZE]]);
  assert.deepEqual(released.map((b) => b[0]), [1], "block 1 of piece 0, read but not sent");
});

Deno.test("choking while the reads run: the batch comes back empty", async () => {
  const { queue, peer, reads, released } = harness();
  queue.request(req(0));
  queue.request(req(1));
  const batch = queue.nextBatch(queue.waitMs());
  peer.amChoking = true;
  finish(reads);
  assert.deepEqual(refsOf(await batch), []);
  assert.equal(released.length, 2, "both blocks go back");
});

Deno.test("the upload limit bounds a batch, taking each block's tokens once", async () => {
  let now = 0;
  // Room for exactly two blocks: were the first block's tokens taken twice, only one would go.
  const limiter = new TokenBucket(2 * BLOCK_SIZE, { now: () => now });
  const { queue } = harness({ limiter, instant: true });
  for (let i = 0; i < 4; i++) queue.request(req(0));
  const wait = queue.waitMs();
  assert.equal(wait, 0);
  assert.equal((await queue.nextBatch(wait)).length, 2);
  assert.equal(queue.length, 2);
  assert.equal(queue.waitMs(), 500);
  // Not admitted (the writer only had its own messages to send): nothing is served.
  assert.deepEqual(await queue.nextBatch(500), []);
  assert.equal(queue.length, 2);
  now = 500;
  assert.equal((await queue.nextBatch(queue.waitMs())).length, 1);
  assert.equal(queue.length, 1);
});
