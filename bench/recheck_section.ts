/**
 * The recheck benchmark (issue 4): how fast our client hash-checks data already on disk
 * (`--recheck`), against coreutils' `sha1sum` over the same file, both with the file in the
 * page cache (it is read once before the rounds), in alternating rounds.
 *
 * Our check is timed between two lines of its output: "listening for peers on port N" comes
 * just before the torrent starts (and checks its data), "done:" as soon as the check has found
 * every piece. The process's start-up before that is reported apart.
 * @module
 */

import { startOurClient } from "../tests/support/our_client.ts";
import { withTimeout } from "../tests/support/process.ts";
import { BENCH_PIECE_LENGTH, type BenchPayload } from "./bench_payloads.ts";
import { median } from "./median.ts";
import { readCpu } from "./proc_stats.ts";
import type { BenchContext, BenchRow, Section, SectionResult } from "./section.ts";

/** What to run. */
export interface RecheckBenchOptions {
  readonly sizeMiB: number;
  readonly rounds: number;
}

/** One timed check. Seconds; null where a moment was not seen. */
interface CheckTiming {
  /** The hash check itself. */
  readonly checkSeconds: number;
  /** Process start to exit. */
  readonly wallSeconds: number;
  /** Process start to the check's start (ours only). */
  readonly startupSeconds: number | null;
  /** CPU time (user + system) during the check (ours only). */
  readonly cpuSeconds: number | null;
}

const MOD_TIMEOUT_MS = 30_000;

/**
 * Runs the recheck benchmark.
 * @example
 * ```ts
 * const result = await benchRecheck(context, { sizeMiB: 8, rounds: 1 });
 * console.log(result.rows);
 * ```
 */
export async function benchRecheck(
  context: BenchContext,
  options: RecheckBenchOptions,
): Promise<SectionResult> {
  context.log(`recheck: making a ${options.sizeMiB} MiB payload`);
  const payload = await context.payloads.singleFile(options.sizeMiB);
  // A hard link: our client's resume file lands here, not beside the payload others seed.
  const dir = `${context.workDir}/recheck-${options.sizeMiB}`;
  await Deno.mkdir(dir, { recursive: true });
  const ours: CheckTiming[] = [];
  const sha1sum: CheckTiming[] = [];
  const notes: string[] = [];
  try {
    await Deno.link(payload.payload.root, `${dir}/${payload.payload.name}`);
    await readWhole(payload.payload.root);
    for (let round = 1; round <= options.rounds; round++) {
      context.log(`recheck: sha1sum and ours, ${options.sizeMiB} MiB, round ${round}`);
      sha1sum.push(await timeSha1sum(payload));
      ours.push(await timeOurRecheck(payload, dir, timeoutFor(options.sizeMiB)));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const sha1sumRate = rate(options.sizeMiB, sha1sum);
  const row = (tool: string, timings: CheckTiming[]): BenchRow => {
    const r = rate(options.sizeMiB, timings);
    return {
      tool,
      mibPerSecond: r,
      vsSha1sum: r !== null && sha1sumRate ? r / sha1sumRate : null,
      checkSeconds: median(timings.map((t) => t.checkSeconds)),
      minMibPerSecond: options.sizeMiB / Math.max(...timings.map((t) => t.checkSeconds)),
      maxMibPerSecond: options.sizeMiB / Math.min(...timings.map((t) => t.checkSeconds)),
      startupSeconds: median(timings.flatMap((t) => t.startupSeconds ?? [])),
      wallSeconds: median(timings.map((t) => t.wallSeconds)),
      cpuSeconds: median(timings.flatMap((t) => t.cpuSeconds ?? [])),
    };
  };
  return {
    title: `recheck: hash check of ${options.sizeMiB} MiB on disk (one file, 256 KiB pieces), ` +
      `page cache warm (median of ${options.rounds} round${options.rounds === 1 ? "" : "s"})`,
    columns: [
      { key: "tool", header: "tool" },
      { key: "mibPerSecond", header: "MiB/s", digits: 1 },
      { key: "vsSha1sum", header: "vs sha1sum", digits: 2 },
      { key: "checkSeconds", header: "check s", digits: 3 },
      { key: "minMibPerSecond", header: "min", digits: 1 },
      { key: "maxMibPerSecond", header: "max", digits: 1 },
      { key: "startupSeconds", header: "start-up s", digits: 3 },
      { key: "wallSeconds", header: "wall s", digits: 3 },
      { key: "cpuSeconds", header: "CPU s in check", digits: 2 },
    ],
    rows: [row("sha1sum", sha1sum), row("ours --recheck", ours)],
    notes: [
      "Page cache warm for both: the file is read once before the first round, and each round " +
      "reads it again, so neither waits for the disk (a cold check is bound by the disk, not by " +
      "hashing, and would measure the disk).",
      "sha1sum (GNU coreutils, one thread): process start to exit. ours: `mod.ts <torrent> " +
      "--no-tui --no-dht --recheck -v` on a folder holding the complete file, from its " +
      `"listening for peers" line (just before the check) to its "done:" line (check over), ` +
      "polled every 5 ms; start-up (process start to the listening line) and wall (to exit) " +
      "apart. Every run of ours printed M of M pieces verified (recheck).",
      "Target: ours >= 0.90 of sha1sum's rate. CPU s in check: our process's user + system " +
      `time between the two lines (more than check s means hashing on several of the ` +
      `${navigator.hardwareConcurrency} CPUs).`,
      ...notes,
    ],
  };
}

function rate(sizeMiB: number, timings: readonly CheckTiming[]): number | null {
  const seconds = median(timings.map((t) => t.checkSeconds));
  return seconds === null ? null : sizeMiB / seconds;
}

function timeoutFor(sizeMiB: number): number {
  return MOD_TIMEOUT_MS + sizeMiB * 100; // 10 MiB/s at worst
}

async function readWhole(path: string): Promise<void> {
  using file = await Deno.open(path);
  const buffer = new Uint8Array(4 << 20);
  while (await file.read(buffer) !== null) { /* only to bring its pages into the cache */ }
}

async function timeSha1sum(payload: BenchPayload): Promise<CheckTiming> {
  const start = performance.now();
  const result = await new Deno.Command("sha1sum", {
    args: [payload.payload.root],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seconds = (performance.now() - start) / 1000;
  const text = new TextDecoder().decode(result.stdout);
  if (!result.success) {
    throw new Error(`sha1sum failed: ${new TextDecoder().decode(result.stderr)}`);
  }
  if (!text.startsWith(payload.sha1)) throw new Error(`sha1sum gave ${text.trim()}`);
  return { checkSeconds: seconds, wallSeconds: seconds, startupSeconds: null, cpuSeconds: null };
}

/** Runs our client on a folder with the complete payload and times its check. */
async function timeOurRecheck(
  payload: BenchPayload,
  dir: string,
  timeoutMs: number,
): Promise<CheckTiming> {
  const start = performance.now();
  const client = startOurClient([
    payload.torrentPath,
    "--no-tui",
    "--no-dht",
    "--out",
    dir,
    "--port",
    "0",
    "--recheck",
    "-v",
    "--give-up",
    "30",
  ]);
  let listening: { at: number; cpu: number | undefined } | undefined;
  let done: { at: number; cpu: number | undefined } | undefined;
  const moment = () => ({ at: performance.now(), cpu: cpuSeconds(client.pid) });
  const watch = setInterval(() => {
    const text = client.output();
    if (!listening && /^listening for peers/m.test(text)) listening = moment();
    if (!done && /^done:/m.test(text)) done = moment();
  }, 5);
  try {
    const status = await withTimeout(client.child.status, timeoutMs, "our client's recheck");
    const wallSeconds = (performance.now() - start) / 1000;
    await client.stop();
    const output = client.output();
    const pieces = Math.ceil(payload.payload.totalSize / BENCH_PIECE_LENGTH);
    const expected = `${pieces} of ${pieces} pieces verified (recheck)`;
    if (status.code !== 0 || !output.includes(expected)) {
      throw new Error(
        `our recheck did not print "${expected}" and exit 0 (exit ${status.code}):\n${
          output.split("\n").slice(-15).join("\n")
        }`,
      );
    }
    if (!listening || !done) throw new Error(`missing listening/done lines in:\n${output}`);
    return {
      checkSeconds: (done.at - listening.at) / 1000,
      wallSeconds,
      startupSeconds: (listening.at - start) / 1000,
      cpuSeconds: listening.cpu !== undefined && done.cpu !== undefined
        ? done.cpu - listening.cpu
        : null,
    };
  } finally {
    clearInterval(watch);
    await client.stop();
  }
}

function cpuSeconds(pid: number): number | undefined {
  const cpu = readCpu(pid);
  return cpu && cpu.userSeconds + cpu.systemSeconds;
}

/**
 * The registry entry: `--size` MiB (1 GiB by default), `--rounds` rounds.
 * @example
 * ```ts
 * const result = await RECHECK_SECTION.run(context);
 * ```
 */
export const RECHECK_SECTION: Section = {
  name: "recheck",
  summary: "hash check of data on disk: ours --recheck vs sha1sum, page cache warm (MiB/s)",
  run: (context) => benchRecheck(context, { sizeMiB: context.sizeMiB, rounds: context.rounds }),
};
