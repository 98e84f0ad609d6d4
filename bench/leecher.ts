/**
 * The contract between the download benchmark and each client it runs: start the client on a
 * fresh folder, return once the client has the whole payload verified (by its own account),
 * with its memory and CPU use. Checking the bytes is the benchmark's job, not the client's.
 * @module
 */

import type { BenchPayload } from "./bench_payloads.ts";
import type { CpuReading } from "./proc_stats.ts";

/** One download to run. */
export interface LeechJob {
  readonly payload: BenchPayload;
  /** The payload's torrent announcing to the run's opentracker, which the seed is on. */
  readonly trackedTorrentPath: string;
  /** The libtorrent seed's port on 127.0.0.1. */
  readonly seedPort: number;
  /** A folder that does not exist yet; the client downloads into it. */
  readonly outDir: string;
  readonly timeoutMs: number;
}

/** How a download went, timed in Unix seconds so it lines up with the seed's clock. */
export interface LeechOutcome {
  /** Just before the client's process was started. */
  readonly startedAt: number;
  /** When the client had every piece verified. */
  readonly completedAt: number;
  /** Peak resident set of the client's process, KiB (mapped files included). */
  readonly peakRssKiB: number;
  /** Highest private (anonymous) memory seen, KiB: heap and buffers without mapped files. */
  readonly anonPeakKiB: number;
  /** CPU time the client used, start-up included. */
  readonly cpu: CpuReading;
  /** The process that was measured. */
  readonly pid: number;
  /** Anything worth knowing about this run (its own summary line, odd observations). */
  readonly notes: readonly string[];
}

/** Runs one client's download. */
export type Leecher = (job: LeechJob) => Promise<LeechOutcome>;
