import assert from "node:assert/strict";
import { Torrent } from "../../src/torrent/torrent.ts";
import { startFakeSeeder } from "../support/fake_peer.ts";
import { waitFor, withTimeout } from "../support/process.ts";
import { syntheticTorrent } from "../support/synthetic_torrent.ts";

const PIECE = 32768;

async function readAll(dir: string, paths: string[]) {
  const parts = await Promise.all(paths.map((p) => Deno.readFile(`${dir}/${p}`)));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

Deno.test("downloads a multi-file torrent from a peer, byte-identical, files across piece boundaries", async () => {
  const files = [{ path: "a.bin", length: 50_000 }, { path: "sub/b.bin", length: 0 }, {
    path: "sub/c.bin",
    length: 123_457,
  }];
  const t = await syntheticTorrent("multi", files, PIECE);
  const seeder = startFakeSeeder(t);
  const dir = await Deno.makeTempDir();
  const torrent = new Torrent(t.metainfo, { dir });
  try {
    await torrent.start();
    torrent.addPeers([{ host: "127.0.0.1", port: seeder.port }], "test");
    await withTimeout(torrent.whenDone(), 10_000, "download");
    await torrent.stop();
    const got = await readAll(dir, files.map((f) => `multi/${f.path}`));
    assert.deepEqual(got, t.content);
    assert.equal((await Deno.stat(`${dir}/multi/sub/b.bin`)).size, 0);
  } finally {
    await torrent.stop();
    await seeder.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a peer sending corrupt data is dropped and banned; the piece comes from an honest peer", async () => {
  const t = await syntheticTorrent("x.bin", [{ path: "x.bin", length: 10 * PIECE }], PIECE);
  // The liar corrupts every block, so every piece it delivers alone fails its hash check.
  const liar = startFakeSeeder(t, { tamper: (_i, _b, block) => block.map((b) => b ^ 0xff) });
  const honest = startFakeSeeder(t);
  const dir = await Deno.makeTempDir();
  const torrent = new Torrent(t.metainfo, { dir });
  try {
    await torrent.start();
    torrent.addPeers([{ host: "127.0.0.1", port: liar.port }], "test");
    // Let the liar deliver (and fail) before the honest peer is known.
    await waitFor(() => torrent.log.some((l) => l.text.includes("failed its hash check")), {
      timeoutMs: 5000,
      intervalMs: 20,
      what: "a failed hash check",
    });
    torrent.addPeers([{ host: "127.0.0.1", port: honest.port }], "test");
    await withTimeout(torrent.whenDone(), 10_000, "download");
    await torrent.stop();
    assert.deepEqual(await Deno.readFile(`${dir}/x.bin`), t.content);
    assert.ok(torrent.wasted > 0);
    assert.equal(liar.connections(), 1, "the liar's address is banned, never redialed");
  } finally {
    await torrent.stop();
    await liar.close();
    await honest.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a peer announcing a 2 GiB message is dropped without harm", async () => {
  const t = await syntheticTorrent("y.bin", [{ path: "y.bin", length: 3 * PIECE }], PIECE);
  const hostile = startFakeSeeder(t, { hugeLengthPrefix: true });
  const honest = startFakeSeeder(t);
  const dir = await Deno.makeTempDir();
  const torrent = new Torrent(t.metainfo, { dir });
  try {
    await torrent.start();
    torrent.addPeers([{ host: "127.0.0.1", port: hostile.port }], "test");
    await waitFor(() => torrent.log.some((l) => l.text.includes("exceeds the bound")), {
      timeoutMs: 5000,
      intervalMs: 20,
      what: "the hostile peer to be dropped",
    });
    torrent.addPeers([{ host: "127.0.0.1", port: honest.port }], "test");
    await withTimeout(torrent.whenDone(), 10_000, "download");
    await torrent.stop();
    assert.deepEqual(await Deno.readFile(`${dir}/y.bin`), t.content);
  } finally {
    await torrent.stop();
    await hostile.close();
    await honest.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("data already on disk is verified at start and not fetched again", async () => {
  const t = await syntheticTorrent("z.bin", [{ path: "z.bin", length: 5 * PIECE + 7 }], PIECE);
  const dir = await Deno.makeTempDir();
  const partial = t.content.slice();
  partial.fill(0, 2 * PIECE, 3 * PIECE); // piece 2 is damaged
  await Deno.writeFile(`${dir}/z.bin`, partial);
  const seeder = startFakeSeeder(t);
  const torrent = new Torrent(t.metainfo, { dir });
  try {
    await torrent.start();
    assert.equal(torrent.picker.have.count, 5);
    assert.ok(!torrent.picker.have.has(2));
    torrent.addPeers([{ host: "127.0.0.1", port: seeder.port }], "test");
    await withTimeout(torrent.whenDone(), 10_000, "download");
    assert.equal(seeder.served(), 2, "only piece 2's two blocks are fetched");
    await torrent.stop();
    assert.deepEqual(await Deno.readFile(`${dir}/z.bin`), t.content);
  } finally {
    await torrent.stop();
    await seeder.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("requests to a new peer grow past the initial 64 before the first tick (slow start)", async () => {
  // 400 blocks; the seeder answers in bursts every 100 ms, so each burst is what we had in flight.
  const t = await syntheticTorrent("slow.bin", [{ path: "slow.bin", length: 200 * PIECE }], PIECE);
  const seeder = startFakeSeeder(t, { holdMs: 100 });
  const dir = await Deno.makeTempDir();
  const torrent = new Torrent(t.metainfo, { dir });
  try {
    await torrent.start();
    torrent.addPeers([{ host: "127.0.0.1", port: seeder.port }], "test");
    await withTimeout(torrent.whenDone(), 10_000, "download");
    const bursts = seeder.bursts();
    const first = bursts[0].at;
    // Ticks come once a second from the start: bursts in the first 700 ms came before one.
    const early = bursts.filter((b) => b.at - first < 700).map((b) => b.requests);
    assert.equal(early[0], 64, `the first burst is the initial queue: ${early}`);
    assert.ok(Math.max(...early) >= 128, `the queue grew as blocks arrived: ${early}`);
  } finally {
    await torrent.stop();
    await seeder.close();
    await Deno.remove(dir, { recursive: true });
  }
});
