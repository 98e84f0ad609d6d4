import assert from "node:assert/strict";
import { ALBUM_NAME } from "../../src/demo/album.ts";
import { pieceRanges, startDemoSwarm } from "../../src/demo/demo_swarm.ts";
import { Bitfield } from "../../src/util/bitfield.ts";
import { withTimeout } from "../support/process.ts";
import { sameTree } from "../support/payload.ts";

Deno.test("pieceRanges: one range per run of pieces, the last one cut at the total length", () => {
  const bits = new Bitfield(6);
  for (const i of [0, 1, 3, 5]) bits.set(i);
  const meta = { pieceLength: 16, totalLength: 90, pieceCount: 6 };
  assert.deepEqual(pieceRanges(meta, bits), [
    { start: 0, end: 32 },
    { start: 48, end: 64 },
    { start: 80, end: 90 },
  ]);
  assert.deepEqual(pieceRanges(meta, new Bitfield(6)), []);
});

Deno.test("the demo swarm: four of our peers on loopback, partial ones too, a complete download, nothing left behind", async () => {
  const steps: string[] = [];
  const swarm = await startDemoSwarm({
    sizeBytes: 4 << 20,
    seconds: 2,
    keepSeeding: false,
    onStep: (s) => steps.push(s),
  });
  try {
    assert.equal(swarm.peers.length, 4);
    const counts = swarm.peers.map((p) => p.torrent.picker.have.count);
    const all = swarm.metainfo.pieceCount;
    assert.deepEqual(counts.slice(0, 2), [all, all]);
    assert.ok(counts.slice(2).every((n) => n > 0 && n < all), `${counts}`);
    assert.ok(swarm.peers.every((p) => p.torrent.uploadLimiter !== undefined));
    assert.ok(steps.some((s) => s.includes(swarm.root)));

    const started = performance.now();
    // Four real peers, named by their peer-ids, as the TUI shows them.
    await withTimeout(
      (async () => {
        while (swarm.downloader.snapshot().peers.length < 4) {
          await new Promise((r) => setTimeout(r, 20));
        }
      })(),
      5000,
      "four connected peers",
    );
    const clients = swarm.downloader.snapshot().peers.map((p) => p.client);
    assert.ok(clients.every((c) => c.startsWith("bittorrent-ts ")), clients.join(", "));
    await withTimeout(swarm.downloader.whenDone(), 20_000, "the demo download");
    const seconds = (performance.now() - started) / 1000;
    // Throttled to about 2 s (unthrottled on loopback: well under a second).
    assert.ok(seconds > 1 && seconds < 6, `took ${seconds.toFixed(1)} s`);
    assert.equal(swarm.downloader.contributors.size, 4, "every peer delivered");
    await sameTree(`${swarm.root}/seed/${ALBUM_NAME}`, `${swarm.root}/download/${ALBUM_NAME}`);
  } finally {
    await swarm.stop();
    await swarm.stop();
  }
  await assert.rejects(Deno.stat(swarm.root), Deno.errors.NotFound);
});
