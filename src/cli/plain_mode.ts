/**
 * Plain mode (`--no-tui`, or no terminal): a progress line a second, an optional event log,
 * a summary when done, and the exit status scripts rely on.
 * @module
 */

import type { TorrentSnapshot } from "../torrent/snapshot.ts";
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
  options: { seed: boolean; verbose: boolean; json: boolean },
  output: Output,
): Promise<number> {
  const report = (text: string, event: Record<string, unknown>) =>
    output.line(options.json ? JSON.stringify(event) : text);
  const { jobs } = session;
  const interrupted = Promise.withResolvers<number>();
  const sigint = () => interrupted.resolve(130);
  const sigterm = () => interrupted.resolve(143);
  Deno.addSignalListener("SIGINT", sigint);
  Deno.addSignalListener("SIGTERM", sigterm);
  const started = performance.now();
  const log = new LogPrinter(jobs, options.verbose, report);
  const printer = setInterval(() => {
    log.print();
    for (const job of jobs) {
      const snap = job.snapshot();
      report(formatProgressLine(snap), progressEvent(snap));
    }
  }, 1000);
  try {
    const finished = Promise.all(jobs.map((j) => j.whenDone())).then(() => 0);
    const status = await Promise.race([finished, interrupted.promise]);
    if (status !== 0) return status;
    const seconds = (performance.now() - started) / 1000;
    for (const job of jobs) {
      report(summary(job, seconds), { event: "done", name: job.name, seconds, ...job.totals() });
    }
    if (!options.seed) return 0;
    report("seeding; press Ctrl+C to stop", { event: "seeding" });
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
    readonly report: (text: string, event: Record<string, unknown>) => void,
  ) {
    this.#printed = jobs.map(() => 0);
  }

  print(): void {
    if (!this.enabled) return;
    this.jobs.forEach((t, i) => {
      const fresh = t.log.slice(Math.max(0, t.log.length - (t.logCount - this.#printed[i])));
      for (const line of fresh) {
        this.report(`  ${line.level}: ${line.text}`, { event: "log", torrent: t.name, ...line });
      }
      this.#printed[i] = t.logCount;
    });
  }
}

/** The JSON form of a progress line. */
function progressEvent(s: TorrentSnapshot): Record<string, unknown> {
  return {
    event: "progress",
    name: s.name,
    infoHash: s.infoHashHex,
    state: s.state,
    verifiedBytes: s.verifiedBytes,
    wantedBytes: s.wantedBytes,
    downRate: Math.round(s.downRate),
    upRate: Math.round(s.upRate),
    downloaded: s.downloaded,
    uploaded: s.uploaded,
    peers: s.peers.length,
    etaSeconds: s.etaSeconds,
    error: s.error,
    stream: s.stream && {
      url: s.stream.url,
      lastSeekMs: s.stream.lastSeekMs,
      medianSeekMs: s.stream.medianSeekMs,
      activeStreams: s.stream.activeStreams,
    },
  };
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
