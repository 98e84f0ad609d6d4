/**
 * The metadata assembler: fetching an info dict from several peers with a fake clock, through
 * timeouts, rejects, inconsistent sizes, lying peers and hash mismatches.
 */
import assert from "node:assert/strict";
import { encodeBencode } from "../../src/bencode/encode_bencode.ts";
import {
  type DataOutcome,
  MetadataAssembler,
  type MetadataAssemblerOptions,
} from "../../src/extension/metadata_assembler.ts";
import { serveMetadata } from "../../src/extension/ut_metadata.ts";
import { sha1 } from "../../src/util/bytes.ts";

/** A valid info dict of `hashes` pieces; 2000 pieces make about 40 KB, 3 metadata pieces. */
function infoDict(hashes: number, seed = 1): Uint8Array {
  return encodeBencode({
    length: hashes * 16384,
    name: "payload.bin",
    "piece length": 16384,
    pieces: Uint8Array.from({ length: hashes * 20 }, (_, i) => (i * 31 + seed) & 0xff),
  });
}

const INFO = infoDict(2000);
const INFO_HASH = await sha1(INFO);

function setup(options: MetadataAssemblerOptions = {}) {
  const clock = { t: 0 };
  const assembler = new MetadataAssembler(INFO_HASH, { now: () => clock.t, ...options });
  /** Answers a request from the real metadata, as an honest peer would. */
  const honest = (peer: string, piece: number, info = INFO): Promise<DataOutcome> => {
    const m = serveMetadata(info, piece);
    assert.equal(m.type, "data");
    if (m.type !== "data") throw new Error("unreachable");
    return assembler.onData(peer, piece, m.totalSize, m.data);
  };
  /** Every piece `peer` is given now, in order. */
  const drain = (peer: string) => {
    const pieces: number[] = [];
    for (let p; (p = assembler.nextRequest(peer)) !== undefined;) pieces.push(p);
    return pieces;
  };
  return { clock, assembler, honest, drain };
}

Deno.test("one peer: all pieces requested, assembled and verified", async () => {
  const { assembler, honest, drain } = setup();
  assert.equal(assembler.nextRequest("a"), undefined, "no size known yet");
  assert.equal(assembler.setSize("a", INFO.length), "accepted");
  assert.equal(assembler.pieceCount, 3);
  assert.deepEqual(drain("a"), [0, 1, 2]);
  assert.deepEqual(await honest("a", 1), { status: "stored", received: 1, pieceCount: 3 });
  assert.deepEqual(await honest("a", 1), { status: "ignored" }, "duplicate");
  assert.equal((await honest("a", 2)).status, "stored");
  const done = await honest("a", 0);
  assert.equal(done.status, "complete");
  assert.deepEqual(done.status === "complete" && done.infoBytes, INFO);
  assert.deepEqual(assembler.infoBytes, INFO);
  assert.equal(assembler.nextRequest("a"), undefined);
  assert.deepEqual(await honest("a", 0), { status: "ignored" });
});

Deno.test("sizes: 1 GiB and nonsense refused; a size other than the first is a conflict", () => {
  const { assembler, drain } = setup();
  assert.equal(assembler.setSize("huge", 2 ** 30), "too-large");
  assert.equal(assembler.setSize("zero", 0), "invalid");
  assert.equal(assembler.setSize("neg", -5), "invalid");
  assert.equal(assembler.setSize("frac", 10.5), "invalid");
  assert.equal(assembler.size, undefined);
  assert.deepEqual(drain("huge"), []);
  assert.equal(assembler.setSize("a", INFO.length), "accepted");
  assert.equal(assembler.setSize("b", INFO.length + 1), "conflict");
  assert.equal(assembler.setSize("c", INFO.length), "accepted");
  assert.equal(assembler.size, INFO.length);
  assert.deepEqual(drain("b"), [], "a peer with another size is never asked");
  assert.ok(drain("c").length > 0);
});

Deno.test("pieces spread across peers, at most maxRequestsPerPeer each", () => {
  const { assembler, drain } = setup({ maxRequestsPerPeer: 1 });
  for (const peer of ["a", "b", "c", "d"]) assembler.setSize(peer, INFO.length);
  assert.deepEqual(["a", "b", "c", "d"].map(drain), [[0], [1], [2], []]);
});

Deno.test("timed-out requests are asked elsewhere; the late answer is still welcome", async () => {
  const { clock, assembler, honest, drain } = setup({ requestTimeoutMs: 10_000 });
  assembler.setSize("slow", INFO.length);
  assembler.setSize("fast", INFO.length);
  assert.deepEqual(drain("slow"), [0, 1, 2]);
  assert.deepEqual(drain("fast"), [], "everything is on order");
  clock.t = 9_999;
  assert.deepEqual(drain("fast"), []);
  clock.t = 10_000;
  assert.deepEqual(drain("fast"), [0, 1, 2]);
  assert.deepEqual(drain("slow"), [], "not handed its timed-out pieces straight back");
  assert.equal((await honest("slow", 0)).status, "stored", "late answer accepted");
  assert.equal((await honest("fast", 1)).status, "stored");
  assert.equal((await honest("fast", 0)).status, "ignored", "already have it");
  assert.equal((await honest("fast", 2)).status, "complete");
});

Deno.test("a rejected piece goes to another peer, and back to the rejecter after a backoff", async () => {
  const { clock, assembler, honest, drain } = setup({ rejectBackoffMs: 30_000 });
  assembler.setSize("a", INFO.length);
  assert.deepEqual(drain("a"), [0, 1, 2]);
  assembler.onReject("a", 0);
  assembler.onReject("b", 1); // never asked: no effect
  assert.deepEqual(drain("a"), [], "a rejected piece 0");
  assert.equal((await honest("a", 1)).status, "stored");
  assert.equal((await honest("a", 2)).status, "stored");
  assembler.setSize("b", INFO.length);
  assert.deepEqual(drain("b"), [0]);
  assembler.onReject("b", 0);
  assert.deepEqual([...drain("a"), ...drain("b")], []);
  clock.t = 30_000;
  assert.deepEqual(drain("a"), [0]);
  assert.equal((await honest("a", 0)).status, "complete");
});

Deno.test("unsolicited data is ignored; data contradicting the size is refused", async () => {
  const { assembler, honest, drain } = setup();
  assembler.setSize("a", INFO.length);
  assembler.setSize("b", INFO.length);
  assert.deepEqual(await honest("b", 0), { status: "ignored" }, "never asked");
  assert.deepEqual(drain("a").slice(0, 1), [0]);
  const wrong = await assembler.onData("a", 0, INFO.length + 5, new Uint8Array(16384));
  assert.equal(wrong.status, "refused");
  assert.deepEqual(drain("a"), [], "a refused peer is not asked again");
  assert.deepEqual(drain("b"), [0, 1, 2], "its pieces went back to the pool");
});

Deno.test("metadata that does not hash to the info-hash is not accepted: one liar is barred", async () => {
  const { assembler, honest, drain } = setup();
  const fake = infoDict(2000, 99); // same length, other bytes
  assert.equal(fake.length, INFO.length);
  assembler.setSize("liar", INFO.length);
  assembler.setSize("good", INFO.length);
  assert.deepEqual(drain("liar"), [0, 1, 2]);
  await honest("liar", 0, fake);
  await honest("liar", 1, fake);
  const outcome = await honest("liar", 2, fake);
  assert.deepEqual(outcome, { status: "hash-mismatch", suspects: ["liar"], barred: ["liar"] });
  assert.equal(assembler.received, 0, "started over");
  assert.equal(assembler.infoBytes, undefined);
  assert.deepEqual(drain("liar"), []);
  assert.deepEqual(drain("good"), [0, 1, 2]);
  for (const p of [0, 1]) await honest("good", p);
  assert.equal((await honest("good", 2)).status, "complete");
});

Deno.test("a mismatch from several peers: each next attempt comes from a single peer", async () => {
  const { assembler, honest, drain } = setup({ maxRequestsPerPeer: 2 });
  const fake = infoDict(2000, 99);
  assembler.setSize("good", INFO.length);
  assembler.setSize("liar", INFO.length);
  assert.deepEqual(drain("good"), [0, 1]);
  assert.deepEqual(drain("liar"), [2]);
  await honest("good", 0);
  await honest("good", 1);
  const mixed = await honest("liar", 2, fake);
  assert.deepEqual(mixed, { status: "hash-mismatch", suspects: ["good", "liar"], barred: [] });
  // Single-source: the liar asks first, so the whole attempt is its own and proves it lied.
  assert.deepEqual(drain("liar"), [0, 1]);
  assert.deepEqual(drain("good"), [], "not while another peer is the source");
  await honest("liar", 0, fake);
  assert.deepEqual(drain("liar"), [2]);
  await honest("liar", 1, fake);
  const proven = await honest("liar", 2, fake);
  assert.deepEqual(proven, { status: "hash-mismatch", suspects: ["liar"], barred: ["liar"] });
  assert.deepEqual(drain("good"), [0, 1]);
  await honest("good", 0);
  await honest("good", 1);
  assert.deepEqual(drain("good"), [2]);
  assert.equal((await honest("good", 2)).status, "complete");
});

Deno.test("in single-source mode a source that rejects hands the attempt to another peer", async () => {
  const { assembler, honest, drain } = setup({ maxRequestsPerPeer: 2 });
  const fake = infoDict(2000, 99);
  assembler.setSize("x", INFO.length);
  assembler.setSize("y", INFO.length);
  assert.deepEqual([drain("x"), drain("y")], [[0, 1], [2]]);
  await honest("x", 0);
  await honest("x", 1);
  assert.equal((await honest("y", 2, fake)).status, "hash-mismatch");
  assert.deepEqual(drain("y"), [0, 1]);
  assembler.onReject("y", 0);
  assert.deepEqual(drain("x"), [0, 1], "y dropped out, x is the source now");
  assert.deepEqual(await honest("y", 1), { status: "ignored" }, "y's attempt is gone");
});

Deno.test("liar first: its size wins at first, and the majority's size after the mismatch", async () => {
  const { assembler, honest, drain } = setup();
  const fake = infoDict(1000, 5); // 2 metadata pieces, another size
  assert.equal(assembler.setSize("liar", fake.length), "accepted");
  assert.equal(assembler.setSize("h1", INFO.length), "conflict");
  assert.equal(assembler.setSize("h2", INFO.length), "conflict");
  assert.deepEqual(drain("liar"), [0, 1]);
  await honest("liar", 0, fake);
  const outcome = await honest("liar", 1, fake);
  assert.deepEqual(outcome, { status: "hash-mismatch", suspects: ["liar"], barred: ["liar"] });
  assert.equal(assembler.size, INFO.length);
  assert.equal(assembler.pieceCount, 3);
  assert.deepEqual(drain("h1"), [0, 1, 2]);
});

Deno.test("when the last peer with the size in force leaves, another claimed size takes over", () => {
  const { assembler, drain } = setup();
  assembler.setSize("a", 50_000);
  assembler.setSize("b", INFO.length);
  assert.deepEqual(drain("a"), [0, 1, 2, 3]);
  assembler.removePeer("a");
  assert.equal(assembler.size, INFO.length);
  assert.deepEqual(drain("b"), [0, 1, 2]);
  // With nobody else claiming anything, the size and what was fetched stay.
  assembler.removePeer("b");
  assert.equal(assembler.size, INFO.length);
});

Deno.test("a peer that leaves frees its requests for the others", async () => {
  const { assembler, honest, drain } = setup();
  assembler.setSize("a", INFO.length);
  assembler.setSize("b", INFO.length);
  assert.deepEqual(drain("a"), [0, 1, 2]);
  await honest("a", 0);
  assembler.removePeer("a");
  assert.deepEqual(drain("b"), [1, 2], "piece 0 is kept");
  await honest("b", 1);
  assert.equal((await honest("b", 2)).status, "complete");
});

Deno.test("a one-piece info dict (the common case) completes in one request", async () => {
  const small = infoDict(10);
  const clock = { t: 0 };
  const assembler = new MetadataAssembler(await sha1(small), { now: () => clock.t });
  assert.equal(assembler.setSize("p", small.length), "accepted");
  assert.equal(assembler.nextRequest("p"), 0);
  const outcome = await assembler.onData("p", 0, small.length, small);
  assert.deepEqual(outcome, { status: "complete", infoBytes: small });
});

Deno.test("a peer that re-announces an unusable size loses its requests", () => {
  const { assembler, drain } = setup();
  assembler.setSize("a", INFO.length);
  assembler.setSize("b", INFO.length);
  assert.deepEqual(drain("a"), [0, 1, 2]);
  assert.equal(assembler.setSize("a", 2 ** 30), "too-large");
  assert.deepEqual(drain("b"), [0, 1, 2]);
  assert.deepEqual(drain("a"), []);
});
