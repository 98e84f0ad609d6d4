/**
 * The downloaders of the seed benchmark, each timed from its own side: when its process was
 * started, when its first payload byte arrived, and when it had every piece. The first byte
 * splits the downloader's own start-up (and, for aria2, its tracker round trip) off the
 * transfer, which is what a seed's speed shows in. libtorrent dials the seed; aria2 cannot be
 * given a peer and finds the seed through the torrent's tracker.
 * @module
 */

import { startAria2 } from "../tests/support/aria2.ts";
import { type LibtorrentStatus, startLibtorrent } from "../tests/support/libtorrent.ts";
import { waitFor } from "../tests/support/process.ts";
import type { BenchPayload } from "./bench_payloads.ts";
import type { BenchSeed } from "./our_seeder.ts";

/** The downloaders, in the order a round runs them. */
export const SEED_DOWNLOADERS = ["libtorrent", "aria2"] as const;

/** One of {@linkcode SEED_DOWNLOADERS}. */
export type SeedDownloaderName = typeof SEED_DOWNLOADERS[number];

/** One download from a seed. */
export interface SeedDownloadJob {
  readonly payload: BenchPayload;
  readonly seed: BenchSeed;
  /** A folder that does not exist yet; the payload is downloaded into it. */
  readonly outDir: string;
  readonly timeoutMs: number;
}

/** When things happened, in Unix seconds. */
export interface SeedDownloadTimes {
  /** Just before the downloader's process was started. */
  readonly startedAt: number;
  /** Between the last reading with no payload and the first with some; null if never seen. */
  readonly firstPayloadAt: number | null;
  /** When the downloader had every piece verified. */
  readonly completedAt: number;
}

/**
 * Downloads the payload from the seed with `name`, and times it.
 * @example
 * ```ts
 * const times = await downloadFromSeed("aria2", { payload, seed, outDir, timeoutMs: 60_000 });
 * console.log(times.completedAt - (times.firstPayloadAt ?? times.startedAt));
 * ```
 */
export function downloadFromSeed(
  name: SeedDownloaderName,
  job: SeedDownloadJob,
): Promise<SeedDownloadTimes> {
  return name === "libtorrent" ? viaLibtorrent(job) : viaAria2(job);
}

async function viaLibtorrent(job: SeedDownloadJob): Promise<SeedDownloadTimes> {
  const startedAt = Date.now() / 1000;
  await Deno.mkdir(job.outDir, { recursive: true });
  const leech = await startLibtorrent({
    torrent: job.payload.torrentPath,
    dir: job.outDir,
    mode: "leech",
    peers: [`127.0.0.1:${job.seed.port}`],
  });
  try {
    const done = await leech.waitForDone(job.timeoutMs);
    return {
      startedAt,
      firstPayloadAt: firstPayload(leech.output(), startedAt),
      completedAt: done.time,
    };
  } finally {
    await leech.stop();
  }
}

/** From every status line printed (one each 0.2 s), not only those a poll happened to see. */
function firstPayload(output: string, startedAt: number): number | null {
  let lastIdle = startedAt;
  for (const line of output.split("\n")) {
    if (!line.startsWith('{"event": "status"')) continue;
    let status: LibtorrentStatus;
    try {
      status = JSON.parse(line) as LibtorrentStatus;
    } catch {
      continue; // a line cut by interleaved stderr
    }
    if (status.downloaded === 0) lastIdle = Math.max(lastIdle, status.time);
    else return (lastIdle + status.time) / 2;
  }
  return null;
}

interface Aria2Progress {
  readonly status: string;
  readonly completedLength: string;
  readonly seeder?: string;
  readonly errorMessage?: string;
}

async function viaAria2(job: SeedDownloadJob): Promise<SeedDownloadTimes> {
  const startedAt = Date.now() / 1000;
  const aria2 = await startAria2({
    torrent: job.seed.trackedTorrentPath,
    dir: job.outDir,
    mode: "leech",
  });
  try {
    let lastIdle = startedAt;
    let firstBusy: number | undefined;
    // Polled every 20 ms: a 1 GiB transfer on loopback takes a few seconds.
    await waitFor(async () => {
      const s = await aria2.rpc("aria2.tellStatus", [aria2.gid, [
        "status",
        "completedLength",
        "seeder",
        "errorMessage",
      ]]) as Aria2Progress;
      const now = Date.now() / 1000;
      if (s.status === "error") throw new Error(`aria2 download error: ${s.errorMessage}`);
      if (s.completedLength === "0") lastIdle = now;
      else firstBusy ??= now;
      return s.seeder === "true";
    }, { timeoutMs: job.timeoutMs, intervalMs: 20, what: "aria2 to have every piece" });
    const completedAt = Date.now() / 1000;
    const firstPayloadAt = firstBusy === undefined ? null : (lastIdle + firstBusy) / 2;
    return { startedAt, firstPayloadAt, completedAt };
  } finally {
    await aria2.stop();
  }
}
