/**
 * libtorrent (rasterbar 2.0, through python3-libtorrent) as a downloader, dialling the seed.
 * Its completion time is taken from the status line that first says "done" (lines come every
 * 0.2 s). libtorrent 2.0 writes through memory-mapped files, so its resident set includes
 * file pages of the download; the anonymous peak is the figure comparable to a heap.
 * @module
 */

import { startLibtorrent } from "../tests/support/libtorrent.ts";
import type { LeechJob, LeechOutcome } from "./leecher.ts";
import { watchProcess } from "./process_watch.ts";

/**
 * Downloads `job.payload` with a libtorrent leecher that dials the seed.
 * @example
 * ```ts
 * const outcome = await leechLibtorrent(job);
 * console.log(outcome.peakRssKiB);
 * ```
 */
export async function leechLibtorrent(job: LeechJob): Promise<LeechOutcome> {
  const startedAt = Date.now() / 1000;
  await Deno.mkdir(job.outDir, { recursive: true });
  const leech = await startLibtorrent({
    torrent: job.payload.torrentPath,
    dir: job.outDir,
    mode: "leech",
    peers: [`127.0.0.1:${job.seedPort}`],
  });
  try {
    const watch = watchProcess(leech.pid);
    const done = await leech.waitForDone(job.timeoutMs);
    const peaks = watch.stop();
    return {
      startedAt,
      completedAt: done.time,
      peakRssKiB: peaks.hwmKiB,
      anonPeakKiB: peaks.anonPeakKiB,
      cpu: peaks.cpu,
      pid: leech.pid,
      notes: [],
    };
  } finally {
    await leech.stop();
  }
}
