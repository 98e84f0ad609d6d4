import assert from "node:assert/strict";
import { PayloadCache } from "../../bench/bench_payloads.ts";
import type { Leecher } from "../../bench/leecher.ts";
import { measureDownload } from "../../bench/measure_download.ts";
import type { SeededSwarm } from "../../bench/seeded_swarm.ts";
import type { LibtorrentPeer, LibtorrentStatus } from "../support/libtorrent.ts";

// A stand-in seed: this process, whose upload counter moves once the "download" begins.
function fakeSwarm(): { swarm: SeededSwarm; upload(bytes: number): void } {
  let uploaded = 0;
  const status = () => ({ uploaded, time: Date.now() / 1000 }) as LibtorrentStatus;
  const seed = { pid: Deno.pid, port: 1, status } as unknown as LibtorrentPeer;
  return { swarm: { seed, trackedTorrentPath: "unused" }, upload: (n) => (uploaded += n) };
}

function copyingLeecher(upload: (n: number) => void, corrupt: boolean): Leecher {
  return async (job) => {
    const startedAt = Date.now() / 1000;
    await new Promise((r) => setTimeout(r, 300));
    upload(1);
    await Deno.mkdir(job.outDir);
    const bytes = await Deno.readFile(job.payload.payload.root);
    if (corrupt) bytes[bytes.length - 1] ^= 1;
    await Deno.writeFile(`${job.outDir}/${job.payload.payload.name}`, bytes);
    await new Promise((r) => setTimeout(r, 300));
    return {
      startedAt,
      completedAt: Date.now() / 1000,
      peakRssKiB: 1024,
      anonPeakKiB: 512,
      cpu: { userSeconds: 0.1, systemSeconds: 0.1 },
      pid: Deno.pid,
      notes: [],
    };
  };
}

Deno.test("measureDownload verifies the bytes, times the transfer, removes the folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const payload = await new PayloadCache(dir).singleFile(1);
    for (const corrupt of [false, true]) {
      const { swarm, upload } = fakeSwarm();
      const outDir = `${dir}/dl`;
      const m = await measureDownload(
        "fake",
        copyingLeecher(upload, corrupt),
        payload,
        swarm,
        outDir,
      );
      assert.equal(m.verified, !corrupt);
      assert.ok(m.wallSeconds >= 0.55, `wall ${m.wallSeconds}`);
      // The upload began ~0.3 s in; the clock's ±0.1 s comes from 0.2 s status lines, here 20 ms.
      assert.ok(m.transferSeconds !== null && m.transferSeconds < m.wallSeconds - 0.2);
      assert.ok(m.transferSeconds > 0.2, `transfer ${m.transferSeconds}`);
      await assert.rejects(Deno.stat(outDir), Deno.errors.NotFound);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("measureDownload passes a leecher's failure on and still removes the folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const payload = await new PayloadCache(dir).singleFile(1);
    const outDir = `${dir}/dl`;
    const failing: Leecher = async () => {
      await Deno.mkdir(outDir);
      throw new Error("client crashed");
    };
    await assert.rejects(
      measureDownload("fake", failing, payload, fakeSwarm().swarm, outDir),
      /client crashed/,
    );
    await assert.rejects(Deno.stat(outDir), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
