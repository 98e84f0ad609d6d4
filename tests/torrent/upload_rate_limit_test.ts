import assert from "node:assert/strict";
import { PeerListener } from "../../src/torrent/peer_listener.ts";
import { Torrent } from "../../src/torrent/torrent.ts";
import { withTimeout } from "../support/process.ts";
import { type SyntheticTorrent, syntheticTorrent } from "../support/synthetic_torrent.ts";

const PIECE = 32768;
const KIB = 1024;

/** A seeding Torrent of `t` (its data written to a temp dir and hash-checked) on a listener. */
async function startSeeder(t: SyntheticTorrent, uploadRateLimit: number) {
  const dir = await Deno.makeTempDir();
  await Deno.writeFile(`${dir}/${t.metainfo.name}`, t.content);
  const torrent = new Torrent(t.metainfo, { dir, seed: true, recheck: true, uploadRateLimit });
  const listener = new PeerListener({ port: 0, hostname: "127.0.0.1" });
  listener.register(torrent);
  await torrent.start();
  assert.equal(torrent.state, "seeding");
  let closed = false;
  return {
    torrent,
    address: { host: "127.0.0.1", port: listener.port },
    async close() {
      if (closed) return;
      closed = true;
      listener.close();
      await torrent.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function startLeech(t: SyntheticTorrent) {
  const dir = await Deno.makeTempDir();
  const torrent = new Torrent(t.metainfo, { dir });
  await torrent.start();
  return {
    torrent,
    dir,
    async close() {
      await torrent.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("the upload limit holds over all peers of a torrent, and every peer completes", async () => {
  const size = 512 * KIB;
  const rate = 512 * KIB;
  const t = await syntheticTorrent("limited.bin", [{ path: "limited.bin", length: size }], PIECE);
  const seeder = await startSeeder(t, rate);
  const leeches = [await startLeech(t), await startLeech(t)];
  try {
    const started = performance.now();
    for (const l of leeches) l.torrent.addPeers([seeder.address], "test");
    await withTimeout(Promise.all(leeches.map((l) => l.torrent.whenDone())), 15_000, "downloads");
    const seconds = (performance.now() - started) / 1000;
    for (const l of leeches) {
      assert.deepEqual(await Deno.readFile(`${l.dir}/limited.bin`), t.content);
    }
    assert.equal(seeder.torrent.up.total, 2 * size);
    // 1 MiB at 512 KiB/s after a burst of 128 KiB: at least 1.75 s (unlimited: ~50 ms).
    const least = (2 * size - rate / 4) / rate;
    assert.ok(seconds >= least * 0.95, `took ${seconds.toFixed(2)} s, under ${least} s`);
    assert.ok(seconds < least + 2, `took ${seconds.toFixed(2)} s, far over ${least} s`);
  } finally {
    for (const l of leeches) await l.close();
    await seeder.close();
  }
});

Deno.test("stopping a throttled seeder mid-transfer lets the process exit at once", async () => {
  // A session waiting on the limit must not keep a timer alive after stop(): the script stops
  // its seeder while the next block is 16 s away, and exits only when nothing is pending.
  const script = new URL("./throttled_stop_script.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const started = performance.now();
  const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  try {
    const { code, stdout, stderr } = await child.output();
    const text = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
    assert.equal(code, 0, text);
    const stoppedAt = Number(/stopped after (\d+) ms/.exec(text)?.[1]);
    assert.ok(stoppedAt >= 0, text);
    const exitedAfterStop = performance.now() - started - stoppedAt;
    assert.match(text, /uploaded 16384 of 262144/);
    // Deno start-up included; a pending limit wait would add ~16 s.
    assert.ok(exitedAfterStop < 5000, `exited ${Math.round(exitedAfterStop)} ms after stop`);
  } finally {
    clearTimeout(killer);
  }
});

Deno.test("a throttled upload does not hold back the torrent's own requests", async () => {
  // Each side has the half the other lacks. A's uploads crawl at 1 KiB/s while B asks it for
  // its half; A's requests for B's half must go out meanwhile, not queue behind those uploads.
  // 2 MiB halves: more blocks than the first batch of requests, so A must keep asking.
  const t = await syntheticTorrent("both.bin", [{ path: "both.bin", length: 128 * PIECE }], PIECE);
  const dirs = [await Deno.makeTempDir(), await Deno.makeTempDir()];
  const halves = [new Uint8Array(t.content), new Uint8Array(t.content)];
  halves[0].fill(0, 64 * PIECE);
  halves[1].fill(0, 0, 64 * PIECE);
  await Deno.writeFile(`${dirs[0]}/both.bin`, halves[0]);
  await Deno.writeFile(`${dirs[1]}/both.bin`, halves[1]);
  const a = new Torrent(t.metainfo, { dir: dirs[0], recheck: true, uploadRateLimit: 1 * KIB });
  const b = new Torrent(t.metainfo, { dir: dirs[1], recheck: true });
  const listener = new PeerListener({ port: 0, hostname: "127.0.0.1" });
  listener.register(b);
  try {
    await a.start();
    await b.start();
    assert.equal(a.picker.have.count, 64);
    assert.equal(b.picker.have.count, 64);
    a.addPeers([{ host: "127.0.0.1", port: listener.port }], "test");
    await withTimeout(a.whenDone(), 5000, "the throttled torrent's own download");
    assert.deepEqual(await Deno.readFile(`${dirs[0]}/both.bin`), t.content);
    assert.ok(a.up.total > 0 && a.up.total < 64 * PIECE, `A uploaded ${a.up.total} bytes`);
  } finally {
    listener.close();
    await a.stop();
    await b.stop();
    for (const dir of dirs) await Deno.remove(dir, { recursive: true });
  }
});
