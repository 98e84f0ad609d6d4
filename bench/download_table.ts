/**
 * Turns download measurements into the download section's table. Each client ran one or more
 * rounds; its row shows the round with the median wall time, the spread of its rates, its
 * highest memory over all rounds, and its median rate as a ratio to the fastest client's at
 * the same size. Pure, so it is tested directly.
 * @module
 */

import type { DownloadMeasurement } from "./measure_download.ts";
import type { BenchRow, Column } from "./section.ts";

/** A download that did not finish. */
export interface DownloadFailure {
  readonly client: string;
  readonly sizeMiB: number;
  readonly error: string;
}

/** What one round of one client gave. */
export type DownloadAttempt = DownloadMeasurement | DownloadFailure;

/** The download table's columns, in order. */
export const DOWNLOAD_COLUMNS: readonly Column[] = [
  { key: "client", header: "client" },
  { key: "sizeMiB", header: "MiB" },
  { key: "mibPerSecond", header: "MiB/s", digits: 1 },
  { key: "vsFastest", header: "vs fastest", digits: 2 },
  { key: "minMibPerSecond", header: "min", digits: 1 },
  { key: "maxMibPerSecond", header: "max", digits: 1 },
  { key: "transferMibPerSecond", header: "xfer MiB/s", digits: 1 },
  { key: "wallSeconds", header: "wall s", digits: 2 },
  { key: "peakRssMiB", header: "peak RSS MiB", digits: 1 },
  { key: "anonPeakMiB", header: "peak anon MiB", digits: 1 },
  { key: "userSeconds", header: "usr s", digits: 2 },
  { key: "systemSeconds", header: "sys s", digits: 2 },
  { key: "cpuPercent", header: "CPU %", digits: 0 },
  { key: "seedCpuPercent", header: "seed CPU %", digits: 0 },
  { key: "verified", header: "verified" },
  { key: "error", header: "error" },
];

/** One client at one size over all its rounds. */
export interface DownloadSummary {
  readonly client: string;
  readonly sizeMiB: number;
  /** The verified round with the median wall time; undefined when none verified. */
  readonly median: DownloadMeasurement | undefined;
  /** Verified rounds. */
  readonly verified: readonly DownloadMeasurement[];
  readonly rounds: number;
  /** Why the other rounds failed. */
  readonly errors: readonly string[];
}

/**
 * Groups attempts by client and size, in the order they first appear.
 * @example
 * ```ts
 * const [ours] = summarizeDownloads([{ client: "ours", sizeMiB: 8, error: "timed out" }]);
 * ours.errors; // ["timed out"]
 * ```
 */
export function summarizeDownloads(attempts: readonly DownloadAttempt[]): DownloadSummary[] {
  const groups = new Map<string, DownloadAttempt[]>();
  for (const a of attempts) {
    const key = `${a.client}\n${a.sizeMiB}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups.values()].map((group) => {
    const verified = group
      .filter((a): a is DownloadMeasurement => !("error" in a) && a.verified)
      .sort((a, b) => a.wallSeconds - b.wallSeconds);
    const errors = group.flatMap((a) =>
      "error" in a ? [a.error] : a.verified ? [] : ["downloaded file does not match the payload"]
    );
    return {
      client: group[0].client,
      sizeMiB: group[0].sizeMiB,
      // The upper median for an even count: the slower of the middle two, the cautious pick.
      median: verified[Math.floor(verified.length / 2)],
      verified,
      rounds: group.length,
      errors,
    };
  });
}

/**
 * One row per client and size.
 * @example
 * ```ts
 * const rows = downloadRows(summarizeDownloads(attempts));
 * ```
 */
export function downloadRows(summaries: readonly DownloadSummary[]): BenchRow[] {
  const rate = (m: DownloadMeasurement) => m.sizeMiB / m.wallSeconds;
  const fastest = new Map<number, number>();
  for (const s of summaries) {
    if (s.median) fastest.set(s.sizeMiB, Math.max(fastest.get(s.sizeMiB) ?? 0, rate(s.median)));
  }
  return summaries.map((s): BenchRow => {
    const verified = `${s.verified.length}/${s.rounds}`;
    const error = s.errors[0] ?? null;
    const m = s.median;
    if (!m) return { client: s.client, sizeMiB: s.sizeMiB, verified, error };
    const rates = s.verified.map(rate);
    return {
      client: s.client,
      sizeMiB: s.sizeMiB,
      mibPerSecond: rate(m),
      vsFastest: rate(m) / (fastest.get(s.sizeMiB) ?? rate(m)),
      minMibPerSecond: Math.min(...rates),
      maxMibPerSecond: Math.max(...rates),
      transferMibPerSecond: m.transferSeconds ? m.sizeMiB / m.transferSeconds : null,
      wallSeconds: m.wallSeconds,
      peakRssMiB: Math.max(...s.verified.map((v) => v.peakRssKiB)) / 1024,
      anonPeakMiB: Math.max(...s.verified.map((v) => v.anonPeakKiB)) / 1024,
      userSeconds: m.cpu.userSeconds,
      systemSeconds: m.cpu.systemSeconds,
      cpuPercent: (100 * (m.cpu.userSeconds + m.cpu.systemSeconds)) / m.wallSeconds,
      seedCpuPercent: (100 * m.seedCpuSeconds) / m.wallSeconds,
      verified,
      error,
    };
  });
}

/**
 * How a client's peak memory moved between the smallest and largest payload it downloaded,
 * as a note; `undefined` unless it downloaded two sizes.
 * @example
 * ```ts
 * const note = flatnessNote(summarizeDownloads(attempts), "ours");
 * ```
 */
export function flatnessNote(
  summaries: readonly DownloadSummary[],
  client: string,
): string | undefined {
  const sizes = summaries
    .filter((s) => s.client === client && s.verified.length > 0)
    .sort((a, b) => a.sizeMiB - b.sizeMiB);
  if (sizes.length < 2) return undefined;
  const peak = (s: DownloadSummary, pick: (m: DownloadMeasurement) => number) =>
    Math.max(...s.verified.map(pick)) / 1024;
  const small = sizes[0];
  const large = sizes[sizes.length - 1];
  const rss = [small, large].map((s) => peak(s, (m) => m.peakRssKiB));
  const anon = [small, large].map((s) => peak(s, (m) => m.anonPeakKiB));
  return `memory flatness (${client}): peak RSS ${rss[0].toFixed(1)} MiB at ${small.sizeMiB} ` +
    `MiB of data, ${rss[1].toFixed(1)} MiB at ${large.sizeMiB} MiB (x${
      (rss[1] / rss[0]).toFixed(2)
    } for x${(large.sizeMiB / small.sizeMiB).toFixed(0)} data); peak anon ` +
    `${anon[0].toFixed(1)} -> ${anon[1].toFixed(1)} MiB`;
}
