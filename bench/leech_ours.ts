/**
 * Our client as a downloader: `deno run -A mod.ts <torrent> --no-tui --peer <seed>`, which
 * exits 0 once every piece is verified. It runs under `rusage_wrapper.py`, because a process
 * that exits by itself takes its /proc memory figures with it: wait4(2) gives the exact peak.
 * @module
 */

import {
  spawnTracked,
  type TrackedProcess,
  waitFor,
  withTimeout,
} from "../tests/support/process.ts";
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
 * Downloads `job.payload` with our client, dialling the seed directly. Its notes say how long
 * start-up took (to the "listening" line) and exit (from the "done:" line), and its summary.
 * @example
 * ```ts
 * const outcome = await leechOurs(job);
 * console.log(outcome.peakRssKiB);
 * ```
 */
export async function leechOurs(job: LeechJob): Promise<LeechOutcome> {
  const reportPath = `${job.outDir}.rusage.json`;
  const startedAt = Date.now() / 1000;
  const wrapper = spawnWrapped(reportPath, [
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
  ]);
  const notes: string[] = [];
  let listeningAt: number | undefined;
  let doneAt: number | undefined;
  const lines = setInterval(() => {
    const text = wrapper.output();
    if (listeningAt === undefined && /^listening/m.test(text)) listeningAt = Date.now() / 1000;
    if (doneAt === undefined && /^done:/m.test(text)) doneAt = Date.now() / 1000;
  }, 10);
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
    const report = await readReport(reportPath);
    const summary = wrapper.output().split("\n").find((line) => line.startsWith("done:"));
    const seconds = (from: number | undefined, to: number | undefined) =>
      from === undefined || to === undefined ? "?" : `${(to - from).toFixed(2)} s`;
    notes.push(
      `start-up to "listening" ${seconds(startedAt, listeningAt)}, "done:" to exit ${
        seconds(doneAt, completedAt)
      }; ${summary ?? "no done: line"}`,
    );
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
    clearInterval(lines);
    await wrapper.stop();
    await Deno.remove(reportPath).catch(() => {});
  }
}

/**
 * Peak RSS in KiB of our client doing nothing (`mod.ts --help`): the runtime and module graph
 * alone, to tell apart from what a download adds. `dir` holds a scratch report file.
 * @example
 * ```ts
 * const kib = await ourIdleRssKiB(await Deno.makeTempDir());
 * ```
 */
export async function ourIdleRssKiB(dir: string): Promise<number> {
  const reportPath = `${dir}/idle.rusage.json`;
  const wrapper = spawnWrapped(reportPath, ["--help"]);
  try {
    const status = await withTimeout(wrapper.child.status, 30_000, "mod.ts --help");
    if (status.code !== 0) throw new Error(`mod.ts --help exited with ${status.code}`);
    return (await readReport(reportPath)).maxRssKiB;
  } finally {
    await wrapper.stop();
    await Deno.remove(reportPath).catch(() => {});
  }
}

/** `deno run -A mod.ts ...args` under the wrapper, which writes its report to `reportPath`. */
function spawnWrapped(reportPath: string, args: readonly string[]): TrackedProcess {
  return spawnTracked(
    "/usr/bin/python3",
    [WRAPPER, reportPath, Deno.execPath(), "run", "-A", MOD, ...args],
    { env: { NO_COLOR: "1" } },
  );
}

async function readReport(path: string): Promise<RusageReport> {
  return JSON.parse(await Deno.readTextFile(path)) as RusageReport;
}

function tail(text: string): string {
  return text.split("\n").slice(-15).join("\n");
}
