/**
 * aria2 as a downloader. aria2 cannot be told to dial a peer, so it finds the seed through the
 * run's opentracker (the tracked torrent). It keeps running after the download (RPC mode), so
 * its /proc figures are read while it is still up, then it is stopped.
 * @module
 */

import { startAria2 } from "../tests/support/aria2.ts";
import { waitFor } from "../tests/support/process.ts";
import type { LeechJob, LeechOutcome } from "./leecher.ts";
import { watchProcess } from "./process_watch.ts";

interface CompletionStatus {
  readonly status: string;
  readonly seeder?: string;
  readonly errorMessage?: string;
}

/**
 * Downloads `job.payload` with aria2c through the tracker.
 * @example
 * ```ts
 * const outcome = await leechAria2(job);
 * console.log(outcome.cpu.userSeconds);
 * ```
 */
export async function leechAria2(job: LeechJob): Promise<LeechOutcome> {
  const startedAt = Date.now() / 1000;
  const aria2 = await startAria2({
    torrent: job.trackedTorrentPath,
    dir: job.outDir,
    mode: "leech",
  });
  try {
    const watch = watchProcess(aria2.pid);
    // Polled faster than Aria2Client.waitForDone (200 ms) to time the end more finely.
    await waitFor(async () => {
      const s = await aria2.rpc("aria2.tellStatus", [aria2.gid, [
        "status",
        "seeder",
        "errorMessage",
      ]]) as CompletionStatus;
      if (s.status === "error") throw new Error(`aria2 download error: ${s.errorMessage}`);
      return s.seeder === "true";
    }, { timeoutMs: job.timeoutMs, intervalMs: 50, what: "aria2 to have every piece" });
    const completedAt = Date.now() / 1000;
    const peaks = watch.stop();
    return {
      startedAt,
      completedAt,
      peakRssKiB: peaks.hwmKiB,
      anonPeakKiB: peaks.anonPeakKiB,
      cpu: peaks.cpu,
      pid: aria2.pid,
      notes: [],
    };
  } finally {
    await aria2.stop();
  }
}
