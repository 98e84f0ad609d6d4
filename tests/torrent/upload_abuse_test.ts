/**
 * Hostile leechers against a real seeding Torrent behind a PeerListener on 127.0.0.1 (issue 4):
 * requests beyond the torrent, request floods, peers that never read, requests while choked.
 * Each test checks that the bad peer is dropped (or harmlessly ignored), that memory stays
 * bounded, and that a well-behaved peer still gets the whole content.
 */

import assert from "node:assert/strict";
import { BLOCK_SIZE } from "../../src/picker/piece_picker.ts";
import { PeerListener } from "../../src/torrent/peer_listener.ts";
import type { PeerSession } from "../../src/torrent/peer_session.ts";
import { Torrent } from "../../src/torrent/torrent.ts";
import { Bitfield } from "../../src/util/bitfield.ts";
import { bytesEqual } from "../../src/util/bytes.ts";
import { type BlockRef, encodeMessages, type Message } from "../../src/wire/messages.ts";
import {
  connectFakeLeecher,
  type FakeLeecher,
  type FakeLeecherOptions,
} from "../support/fake_leecher.ts";
import { waitFor, withTimeout } from "../support/process.ts";
import { type SyntheticTorrent, syntheticTorrent } from "../support/synthetic_torrent.ts";

const KIB = 1024;
const MIB = 1024 * KIB;
/** PeerSession's bound on requests queued from one peer. */
const MAX_QUEUED_UPLOADS = 2048;
/** How long a drop may take once the bad message is sent. */
const DROP_WITHIN_MS = 2000;
/** Generous bound on memory growth during an attack. */
const MEMORY_BOUND = 100 * MIB;

interface Seed {
  readonly torrent: Torrent;
  readonly port: number;
  connect(options?: Omit<FakeLeecherOptions, "port" | "infoHash">): Promise<FakeLeecher>;
}

/**
 * Runs `body` against a seeding Torrent of `t` (pieces in `damaged` corrupted on disk, so a
 * partial seed), listening on 127.0.0.1:0; everything is stopped and removed afterwards.
 */
async function withSeed(
  t: SyntheticTorrent,
  body: (seed: Seed) => Promise<void>,
  damaged: readonly number[] = [],
): Promise<void> {
  const dir = await Deno.makeTempDir();
  const content = t.content.slice();
  const { pieceLength } = t.metainfo;
  for (const i of damaged) content.fill(0, i * pieceLength, (i + 1) * pieceLength);
  await Deno.writeFile(`${dir}/${t.metainfo.name}`, content);
  const torrent = new Torrent(t.metainfo, { dir, seed: true });
  const listener = new PeerListener({ port: 0, hostname: "127.0.0.1" });
  const leechers: FakeLeecher[] = [];
  try {
    await torrent.start();
    assert.equal(torrent.picker.have.count, t.metainfo.pieceCount - damaged.length);
    listener.register(torrent);
    await body({
      torrent,
      port: listener.port,
      async connect(options = {}) {
        const leecher = await connectFakeLeecher({
          port: listener.port,
          infoHash: t.metainfo.infoHash,
          ...options,
        });
        leechers.push(leecher);
        return leecher;
      },
    });
  } finally {
    listener.close();
    await withTimeout(torrent.stop(), 5000, "stopping the seed");
    await Promise.all(leechers.map((l) => withTimeout(l.close(), 5000, "closing a leecher")));
    await Deno.remove(dir, { recursive: true });
  }
}

/** A real Torrent downloads all of `t` from the seed at `port`; the file must be identical. */
async function downloadAll(t: SyntheticTorrent, port: number): Promise<void> {
  const dir = await Deno.makeTempDir();
  const leecher = new Torrent(t.metainfo, { dir });
  try {
    await leecher.start();
    leecher.addPeers([{ host: "127.0.0.1", port }], "test");
    await withTimeout(leecher.whenDone(), 15_000, "the well-behaved leecher's download");
    await leecher.stop();
    const got = await Deno.readFile(`${dir}/${t.metainfo.name}`);
    assert.ok(bytesEqual(got, t.content), "the well-behaved leecher got the exact content");
  } finally {
    await withTimeout(leecher.stop(), 5000, "stopping the leecher");
    await Deno.remove(dir, { recursive: true });
  }
}

/** The seed's session for a fake leecher (matched by the leecher's local port). */
function sessionOf(torrent: Torrent, leecher: FakeLeecher): PeerSession | undefined {
  const address = `127.0.0.1:${leecher.localPort}`;
  return [...torrent.sessions.values()].find((s) => s.conn.address === address);
}

/** The seed's "left" log line for a fake leecher, if it has one. */
function leftReason(torrent: Torrent, leecher: FakeLeecher): string | undefined {
  const prefix = `127.0.0.1:${leecher.localPort} `;
  const line = torrent.log.find((l) => l.text.startsWith(prefix) && l.text.includes(" left: "));
  return line?.text.slice(line.text.indexOf(" left: ") + 7);
}

const isUnchoke = (m: Message): m is Extract<Message, { type: "unchoke" }> => m.type === "unchoke";
const isHaveAll = (m: Message): m is Extract<Message, { type: "have-all" }> =>
  m.type === "have-all";

/** Says it is interested and waits to be unchoked, as a polite leecher does. */
async function getUnchoked(leecher: FakeLeecher): Promise<void> {
  await leecher.send([{ type: "interested" }]);
  await leecher.waitFor(isUnchoke, 3000, "unchoke");
}

/** Every block of `pieces`, in order. */
function blocksOf(t: SyntheticTorrent, pieces: Iterable<number>): BlockRef[] {
  const refs: BlockRef[] = [];
  const { pieceLength, totalLength } = t.metainfo;
  for (const index of pieces) {
    const size = Math.min(pieceLength, totalLength - index * pieceLength);
    for (let begin = 0; begin < size; begin += BLOCK_SIZE) {
      refs.push({ index, begin, length: Math.min(BLOCK_SIZE, size - begin) });
    }
  }
  return refs;
}

function expectedBlock(t: SyntheticTorrent, ref: BlockRef): Uint8Array {
  const at = ref.index * t.metainfo.pieceLength + ref.begin;
  return t.content.subarray(at, at + ref.length);
}

function pieceMessages(leecher: FakeLeecher): number {
  return leecher.received.filter((m) => m.type === "piece").length;
}

/**
 * This isolate's JS heap plus its ArrayBuffers (where blocks live), after a short settle. Not
 * RSS: `deno test --parallel` runs other test files in the same process.
 */
async function memoryInUse(): Promise<number> {
  await new Promise((r) => setTimeout(r, 50));
  const { heapUsed, external } = Deno.memoryUsage();
  return heapUsed + external;
}

Deno.test("requests beyond the torrent, of bad lengths or malformed drop the peer with the reason logged; a well-behaved peer still downloads everything", async () => {
  // 8 whole pieces and a short last one of 1000 bytes.
  const PIECE = 64 * KIB;
  const t = await syntheticTorrent("beyond.bin", [{
    path: "beyond.bin",
    length: 8 * PIECE + 1000,
  }], PIECE);
  const LAST = 8;
  const request = (index: number, begin: number, length: number) =>
    encodeMessages([{ type: "request", index, begin, length }]);
  const cases: { what: string; bytes: Uint8Array; reason: string }[] = [
    {
      what: "piece index = piece count",
      bytes: request(LAST + 1, 0, BLOCK_SIZE),
      reason: `request for piece ${LAST + 1}, which we do not have`,
    },
    {
      what: "piece index 2^32-1",
      bytes: request(0xffff_ffff, 0, BLOCK_SIZE),
      reason: "request for piece 4294967295, which we do not have",
    },
    {
      what: "block straddling the piece end",
      bytes: request(0, PIECE - BLOCK_SIZE / 2, BLOCK_SIZE),
      reason: "request beyond piece 0",
    },
    {
      what: "full block of the short last piece",
      bytes: request(LAST, 0, BLOCK_SIZE),
      reason: `request beyond piece ${LAST}`,
    },
    {
      what: "offset near 2^32",
      bytes: request(0, 0xffff_c000, BLOCK_SIZE),
      reason: "request beyond piece 0",
    },
    { what: "length 0", bytes: request(0, 0, 0), reason: "request of 0 bytes" },
    {
      what: "length 16 KiB + 1",
      bytes: request(0, 0, BLOCK_SIZE + 1),
      reason: `request of ${BLOCK_SIZE + 1} bytes`,
    },
    {
      what: "request message 4 bytes short",
      bytes: new Uint8Array([0, 0, 0, 9, 6, 0, 0, 0, 0, 0, 0, 0, 0]),
      reason: "message id 6 has length 9, expected 13",
    },
  ];
  await withSeed(t, async (seed) => {
    // The honest download runs while the hostile peers come and go.
    const honest = downloadAll(t, seed.port);
    const hostile = (async () => {
      for (const c of cases) {
        const leecher = await seed.connect();
        await getUnchoked(leecher);
        // A valid request first: the peer is served until it misbehaves.
        const [block] = await leecher.fetch([{ index: LAST, begin: 0, length: 1000 }], 3000);
        assert.deepEqual(block, expectedBlock(t, { index: LAST, begin: 0, length: 1000 }));
        const sentAt = Date.now();
        await leecher.sendRaw(c.bytes);
        const closed = await leecher.whenClosed(DROP_WITHIN_MS);
        assert.ok(closed.at - sentAt < DROP_WITHIN_MS, c.what);
        assert.equal(pieceMessages(leecher), 1, `${c.what}: no data after the bad request`);
        assert.equal(leftReason(seed.torrent, leecher), c.reason, c.what);
        assert.equal(sessionOf(seed.torrent, leecher), undefined, `${c.what}: session removed`);
      }
    })();
    await Promise.all([honest, hostile]);
    assert.equal(seed.torrent.state, "seeding");
  });
});

Deno.test("a partial seed drops a peer asking for a piece it lacks and goes on serving the pieces it has", async () => {
  const PIECE = 64 * KIB;
  const t = await syntheticTorrent("partial.bin", [{
    path: "partial.bin",
    length: 6 * PIECE + 5000,
  }], PIECE);
  const MISSING = 3;
  await withSeed(t, async (seed) => {
    const good = await seed.connect();
    const bitfield = await good.waitFor(
      (m): m is Extract<Message, { type: "bitfield" }> => m.type === "bitfield",
      3000,
      "bitfield",
    );
    const advertised = new Bitfield(t.metainfo.pieceCount, bitfield.bitfield);
    assert.ok(!advertised.has(MISSING), "the missing piece is not advertised");
    assert.equal(advertised.count, t.metainfo.pieceCount - 1);
    await getUnchoked(good);

    const bad = await seed.connect();
    await getUnchoked(bad);
    await bad.send([{ type: "request", index: MISSING, begin: 0, length: BLOCK_SIZE }]);
    await bad.whenClosed(DROP_WITHIN_MS);
    assert.equal(pieceMessages(bad), 0);
    assert.equal(
      leftReason(seed.torrent, bad),
      `request for piece ${MISSING}, which we do not have`,
    );

    // Every block of every piece the seed has, checked against the content.
    const pieces = [...Array(t.metainfo.pieceCount).keys()].filter((i) => i !== MISSING);
    const refs = blocksOf(t, pieces);
    const blocks = await good.fetch(refs, 5000);
    refs.forEach((ref, i) => assert.deepEqual(blocks[i], expectedBlock(t, ref)));
    assert.equal(good.closed, undefined);
  }, [MISSING]);
});

Deno.test("a flood of 100,000 requests is cut off at the queue bound with bounded memory; another peer is still served", async () => {
  const PIECE = 64 * KIB;
  const t = await syntheticTorrent("flood.bin", [{ path: "flood.bin", length: 4 * MIB }], PIECE);
  await withSeed(t, async (seed) => {
    const flooder = await seed.connect();
    await getUnchoked(flooder);
    // Sampled before the session reads each message, so every queue length it reaches is seen.
    const session = sessionOf(seed.torrent, flooder)!;
    let maxQueued = 0;
    const frames = session.conn.frames;
    const read = frames.read.bind(frames);
    frames.read = () => {
      maxQueued = Math.max(maxQueued, session.queuedUploads);
      return read();
    };
    const refs = blocksOf(t, [...Array(t.metainfo.pieceCount).keys()]);
    const flood = encodeMessages(
      Array.from({ length: 100_000 }, (_, i) => ({ type: "request", ...refs[i % refs.length] })),
    );
    const before = await memoryInUse();
    const sentAt = Date.now();
    // The seed hangs up mid-write: the write may fail, which is the point.
    const writing = flooder.sendRaw(flood).catch(() => {});
    const honest = downloadAll(t, seed.port);
    const closed = await flooder.whenClosed(DROP_WITHIN_MS);
    await writing;
    assert.ok(closed.at - sentAt < DROP_WITHIN_MS);
    assert.equal(leftReason(seed.torrent, flooder), "request flood");
    assert.ok(maxQueued <= MAX_QUEUED_UPLOADS, `queued ${maxQueued} uploads`);
    assert.ok(maxQueued > MAX_QUEUED_UPLOADS / 2, `dropped at the bound, not at ${maxQueued}`);
    assert.ok(
      pieceMessages(flooder) < MAX_QUEUED_UPLOADS,
      `served ${pieceMessages(flooder)} blocks of 100,000 asked`,
    );
    await honest;
    const growth = (await memoryInUse()) - before;
    assert.ok(growth < MEMORY_BOUND, `memory grew by ${(growth / MIB).toFixed(1)} MiB`);
    assert.equal(seed.torrent.state, "seeding");
  });
});

Deno.test("a peer that never reads stalls only its own upload; a well-behaved peer downloads everything; stop closes it all", async () => {
  // 16 MiB: well beyond what the loopback socket buffers absorb (about 4 MiB here), within the
  // queue bound (1024 blocks).
  const PIECE = MIB;
  const t = await syntheticTorrent("stall.bin", [{ path: "stall.bin", length: 16 * MIB }], PIECE);
  const total = t.metainfo.totalLength;
  await withSeed(t, async (seed) => {
    const before = await memoryInUse();
    const staller = await seed.connect({ read: false });
    await staller.send([{ type: "interested" }]);
    // It cannot see its unchoke (it never reads): watch the seed's side instead.
    const session = await waitFor(
      () => {
        const s = sessionOf(seed.torrent, staller);
        return s && !s.amChoking ? s : undefined;
      },
      { timeoutMs: 3000, what: "the staller to be unchoked" },
    );
    const refs = blocksOf(t, [...Array(t.metainfo.pieceCount).keys()]);
    assert.ok(refs.length <= MAX_QUEUED_UPLOADS);
    await staller.send(refs.map((r) => ({ type: "request", ...r })));
    // The staller's socket fills up; its writer waits there.
    let last = -1;
    await waitFor(() => {
      const stuck = session.up.total > 0 && session.up.total === last;
      last = session.up.total;
      return stuck;
    }, { timeoutMs: 5000, intervalMs: 200, what: "the staller's upload to stall" });

    await downloadAll(t, seed.port);

    assert.ok(!session.closed, "the staller is not dropped for being slow");
    assert.ok(seed.torrent.sessions.has(session.key));
    assert.ok(session.up.total < total / 2, `staller took ${session.up.total} bytes`);
    assert.ok(session.queuedUploads > 0, "its requests still wait");
    const growth = (await memoryInUse()) - before;
    assert.ok(growth < MEMORY_BOUND, `memory grew by ${(growth / MIB).toFixed(1)} MiB`);

    await withTimeout(seed.torrent.stop(), 5000, "stopping the seed with a stalled writer");
    assert.equal(seed.torrent.sessions.size, 0);
    assert.equal(leftReason(seed.torrent, staller), "shutting down");
    // What the staller finally reads ends: our side of the connection is closed.
    staller.startReading();
    await staller.whenClosed(5000);
    assert.ok(staller.pieceBytes > 0 && staller.pieceBytes <= session.up.total);
  });
});

Deno.test({
  // Each request of a choked fast-extension peer queues a reject; if it never reads, the queue
  // must stay bounded (found by this test: it once grew by ~100 bytes a request without end).
  name: "a choked fast-extension peer that never reads cannot grow our memory with requests",
  async fn() {
    const PIECE = 64 * KIB;
    const t = await syntheticTorrent("rejects.bin", [{ path: "rejects.bin", length: MIB }], PIECE);
    await withSeed(t, async (seed) => {
      const staller = await seed.connect({ fast: true, read: false });
      const refs = blocksOf(t, [...Array(t.metainfo.pieceCount).keys()]);
      const batch = encodeMessages(
        Array.from({ length: 100_000 }, (_, i) => ({ type: "request", ...refs[i % refs.length] })),
      );
      const before = await memoryInUse();
      for (let i = 0; i < 20; i++) {
        // Never interested, so choked: every request is answered with a reject.
        const sent = await staller.sendRaw(batch).then(() => true, () => false);
        if (!sent) break; // dropped as a flood: also bounded
      }
      const growth = (await memoryInUse()) - before;
      assert.ok(growth < MEMORY_BOUND, `memory grew by ${(growth / MIB).toFixed(1)} MiB`);
    });
  },
});

Deno.test("a choked peer without the fast extension gets no data for its requests and is not dropped", async () => {
  const PIECE = 64 * KIB;
  const t = await syntheticTorrent(
    "choked.bin",
    [{ path: "choked.bin", length: 4 * PIECE }],
    PIECE,
  );
  await withSeed(t, async (seed) => {
    const leecher = await seed.connect();
    const early = blocksOf(t, [0, 1]);
    // Not interested, so never unchoked; 1.2 s spans the seed's first tick and rechoke.
    await leecher.send(early.map((r) => ({ type: "request", ...r })));
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(pieceMessages(leecher), 0, "no data while choked");
    assert.ok(!leecher.received.some((m) => m.type === "unchoke"));
    assert.equal(leecher.closed, undefined, "not dropped");
    assert.ok(sessionOf(seed.torrent, leecher)?.amChoking);

    // Once unchoked it is served what it asks now; the requests made while choked were dropped.
    await getUnchoked(leecher);
    const late = blocksOf(t, [2, 3]);
    const blocks = await leecher.fetch(late, 3000);
    late.forEach((ref, i) => assert.deepEqual(blocks[i], expectedBlock(t, ref)));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(pieceMessages(leecher), late.length, "nothing sent for the choked requests");
  });
});

Deno.test("a choked peer with the fast extension gets no data for its requests and is not dropped", async () => {
  const PIECE = 64 * KIB;
  const t = await syntheticTorrent("fastchoked.bin", [{
    path: "fastchoked.bin",
    length: 4 * PIECE,
  }], PIECE);
  await withSeed(t, async (seed) => {
    const leecher = await seed.connect({ fast: true });
    await leecher.waitFor(isHaveAll, 3000, "have-all");
    const refs = blocksOf(t, [0, 1, 2, 3]);
    await leecher.send(refs.map((r) => ({ type: "request", ...r })));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(pieceMessages(leecher), 0, "no data while choked");
    assert.equal(leecher.closed, undefined, "not dropped");
    assert.ok(sessionOf(seed.torrent, leecher)?.amChoking);

    await getUnchoked(leecher);
    const blocks = await leecher.fetch(refs.slice(0, 2), 3000);
    refs.slice(0, 2).forEach((ref, i) => assert.deepEqual(blocks[i], expectedBlock(t, ref)));
  });
});

Deno.test({
  // BEP 6: a choked peer's requests are answered with rejects (this test once caught requests
  // echoed back instead, from spreading the request message into the reject).
  name: "a choked peer with the fast extension gets a reject for each request",
  async fn() {
    const PIECE = 64 * KIB;
    const t = await syntheticTorrent("rejected.bin", [{
      path: "rejected.bin",
      length: 4 * PIECE,
    }], PIECE);
    await withSeed(t, async (seed) => {
      const leecher = await seed.connect({ fast: true });
      await leecher.waitFor(isHaveAll, 3000, "have-all");
      const refs = blocksOf(t, [0, 1, 2, 3]);
      await leecher.send(refs.map((r) => ({ type: "request", ...r })));
      const rejected = () =>
        leecher.received.filter((m): m is Extract<Message, { type: "reject" }> =>
          m.type === "reject"
        );
      await waitFor(() => rejected().length >= refs.length, {
        timeoutMs: 3000,
        what: "a reject per request",
      });
      assert.deepEqual(
        rejected().map(({ index, begin, length }) => ({ index, begin, length })),
        refs,
      );
      assert.ok(!leecher.received.some((m) => m.type === "request"), "a seed never requests");
      assert.equal(pieceMessages(leecher), 0);
      assert.equal(leecher.closed, undefined, "not dropped");
    });
  },
});
