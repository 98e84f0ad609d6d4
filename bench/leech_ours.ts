/**
 * Our client as a downloader: `deno run -A mod.ts <torrent> --no-tui --peer <seed>`, which
 * exits 0 once every piece is verified. It runs under `rusage_wrapper.py`, because a process
 * that exits by itself takes its /proc memory figures with it: wait4(2) gives the exact peak.
 * @module
 */

import { spawnTracked, waitFor, withTimeout } from "../tests/support/process.ts";
import type { LeechJob, LeechOutcome } from "./leecher.ts";
import { childrenOf, commandName } from "./proc_stats.ts";
import { watchProcess } from "./process_watch.ts";

const MOD = new URL("../mod.ts", import.meta.url).pathname;
const WRAPPER = new URL("./rusage_wrapper.py", import.meta.url).pathname;

interface RusageReport {
  readonly pid: number;
  readonly code: number;
  readonly maxRssKiB: number;
  readonly userSeconds: number;
  readonly systemSeconds: number;
}

/**
 * Downloads `job.payload` with our client, dialling the seed directly.
 * @example
 * ```ts
 * const outcome = await leechOurs(job);
 * console.log(outcome.peakRssKiB);
 * ```
 */
export async function leechOurs(job: LeechJob): Promise<LeechOutcome> {
  const reportPath = `${job.outDir}.rusage.json`;
  const startedAt = Date.now() / 1000;
  const wrapper = spawnTracked("/usr/bin/python3", [
    WRAPPER,
    reportPath,
    Deno.execPath(),
    "run",
    "-A",
    MOD,
    job.payload.torrentPath,
    "--no-tui",
    "--out",
    job.outDir,
    "--port",
    "0",
    "--peer",
    `127.0.0.1:${job.seedPort}`,
    "--give-up",
    "30",
  ], { env: { NO_COLOR: "1" } });
  const notes: string[] = [];
  try {
    // The wrapper forks once: its only child is the download, named python3 until its exec.
    const pid = await waitFor(() => {
      const child = childrenOf(wrapper.pid)[0];
      return child !== undefined && commandName(child) === "deno" ? child : undefined;
    }, { timeoutMs: 5_000, intervalMs: 5, what: "the deno process under the wrapper" });
    const watch = watchProcess(pid);
    // `deno run` is expected to do everything in one process; say so if that ever changes,
    // since the peak of a child would then be measured apart from it.
    const childCheck = setTimeout(() => {
      const kids = childrenOf(pid);
      if (kids.length > 0) notes.push(`deno spawned ${kids.length} child process(es)`);
    }, 1_000);
    const status = await withTimeout(wrapper.child.status, job.timeoutMs, "our client's download")
      .finally(() => clearTimeout(childCheck));
    const completedAt = Date.now() / 1000;
    const peaks = watch.stop();
    await wrapper.stop();
    if (status.code !== 0) {
      throw new Error(`our client exited with ${status.code}:\n${tail(wrapper.output())}`);
    }
    const report = JSON.parse(await Deno.readTextFile(reportPath)) as RusageReport;
    const summary = wrapper.output().split("\n").find((line) => line.startsWith("done:"));
    if (summary) notes.push(summary);
    return {
      startedAt,
      completedAt,
      peakRssKiB: report.maxRssKiB,
      anonPeakKiB: peaks.anonPeakKiB,
      cpu: { userSeconds: report.userSeconds, systemSeconds: report.systemSeconds },
      pid,
      notes,
    };
  } finally {
    await wrapper.stop();
    await Deno.remove(reportPath).catch(() => {});
  }
}

function tail(text: string): string {
  return text.split("\n").slice(-15).join("\n");
}
