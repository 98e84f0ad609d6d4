/**
 * Plain mode (`--no-tui`, or no terminal): a progress line a second, an optional event log,
 * a summary when done, and the exit status scripts rely on.
 * @module
 */

import type { TorrentJob } from "../torrent/torrent_job.ts";
import { formatBytes, formatDuration, formatRate } from "../util/format.ts";
import { formatProgressLine } from "../../tui/progress_line.ts";
import type { ClientSession } from "./client_session.ts";
import type { Output } from "./cli_error.ts";

/**
 * Prints progress until every torrent is done (then seeds on if `seed`) or a signal arrives.
 * Resolves with the exit status; rejects when a torrent fails.
 * @example
 * ```ts
 * const status = await runPlain(session, { seed: false, verbose: false }, consoleOutput);
 * ```
 */
export async function runPlain(
  session: ClientSession,
  options: { seed: boolean; verbose: boolean },
  output: Output,
): Promise<number> {
  const { jobs } = session;
  const interrupted = Promise.withResolvers<number>();
  const sigint = () => interrupted.resolve(130);
  const sigterm = () => interrupted.resolve(143);
  Deno.addSignalListener("SIGINT", sigint);
  Deno.addSignalListener("SIGTERM", sigterm);
  const started = performance.now();
  const log = new LogPrinter(jobs, options.verbose, output);
  const printer = setInterval(() => {
    log.print();
    for (const job of jobs) output.line(formatProgressLine(job.snapshot()));
  }, 1000);
  try {
    const finished = Promise.all(jobs.map((j) => j.whenDone())).then(() => 0);
    const status = await Promise.race([finished, interrupted.promise]);
    if (status !== 0) return status;
    const seconds = (performance.now() - started) / 1000;
    for (const job of jobs) output.line(summary(job, seconds));
    if (!options.seed) return 0;
    output.line("seeding; press Ctrl+C to stop");
    await interrupted.promise;
    return 0; // Stopping a seed is the normal way to end it.
  } finally {
    clearInterval(printer);
    Deno.removeSignalListener("SIGINT", sigint);
    Deno.removeSignalListener("SIGTERM", sigterm);
    await session.stop();
    log.print();
  }
}

/** Prints log lines not printed yet (the torrent's log keeps only its last 200). */
class LogPrinter {
  readonly #printed: number[];

  constructor(
    readonly jobs: readonly TorrentJob[],
    readonly enabled: boolean,
    readonly output: Output,
  ) {
    this.#printed = jobs.map(() => 0);
  }

  print(): void {
    if (!this.enabled) return;
    this.jobs.forEach((t, i) => {
      const fresh = t.log.slice(Math.max(0, t.log.length - (t.logCount - this.#printed[i])));
      for (const line of fresh) this.output.line(`  ${line.level}: ${line.text}`);
      this.#printed[i] = t.logCount;
    });
  }
}

function summary(job: TorrentJob, seconds: number): string {
  const snap = job.snapshot();
  const rate = seconds > 0 ? snap.downloaded / seconds : 0;
  const peers = job.torrent?.contributors.size ?? 0;
  return `done: ${snap.name}, ${formatBytes(snap.wantedBytes)} verified; fetched ${
    formatBytes(snap.downloaded)
  } in ${formatDuration(seconds)} (${formatRate(rate)} average) from ${peers} peer${
    peers === 1 ? "" : "s"
  }`;
}
