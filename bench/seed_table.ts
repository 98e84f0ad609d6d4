/**
 * The seed benchmark's table: one row per (seeder, downloader) pair from its rounds, with rates
 * from the median times and each seeder's transfer rate as a ratio to libtorrent seeding to
 * the same downloader. Pure, so the arithmetic is tested without running a client.
 * @module
 */

import { median } from "./median.ts";
import type { BenchRow, Column } from "./section.ts";

/** One timed download from one seeder. Times in seconds. */
export interface SeedMeasurement {
  readonly seeder: string;
  readonly downloader: string;
  readonly sizeMiB: number;
  /** From starting the downloader's process to its having every piece. */
  readonly wallSeconds: number;
  /** From the downloader's first payload byte to its having every piece; null if unseen. */
  readonly transferSeconds: number | null;
  /** From starting the downloader to its first payload byte; null if unseen. */
  readonly firstByteSeconds: number | null;
  /** CPU time (user + system) the seeder used meanwhile. */
  readonly seederCpuSeconds: number;
  /** The downloaded file hashes to the payload's SHA-1. */
  readonly verified: boolean;
}

/** A round that failed. */
export interface SeedFailure {
  readonly seeder: string;
  readonly downloader: string;
  readonly sizeMiB: number;
  readonly error: string;
}

/** One round of one pair. */
export type SeedAttempt = SeedMeasurement | SeedFailure;

/** The seeder every other seeder is compared with. */
export const REFERENCE_SEEDER = "libtorrent";

/** The table's columns. */
export const SEED_COLUMNS: readonly Column[] = [
  { key: "seeder", header: "seeder" },
  { key: "downloader", header: "downloader" },
  { key: "mibPerSecond", header: "MiB/s", digits: 1 },
  { key: "minMibPerSecond", header: "min", digits: 1 },
  { key: "maxMibPerSecond", header: "max", digits: 1 },
  { key: "transferMibPerSecond", header: "xfer MiB/s", digits: 1 },
  { key: "vsLibtorrentSeed", header: "xfer vs libtorrent seed", digits: 2 },
  { key: "firstByteSeconds", header: "to 1st byte s", digits: 2 },
  { key: "seederCpuSeconds", header: "seeder CPU s", digits: 2 },
  { key: "seederCpuPercent", header: "seeder CPU %", digits: 0 },
  { key: "verified", header: "verified" },
  { key: "error", header: "error" },
];

/**
 * Rows in the order pairs first appear in `attempts`. A round counts when it verified; rates
 * come from the median wall and transfer times of those rounds, min/max from all of them.
 * @example
 * ```ts
 * seedRows([
 *   { seeder: "ours", downloader: "aria2", sizeMiB: 64, wallSeconds: 2, transferSeconds: 1,
 *     firstByteSeconds: 0.5, seederCpuSeconds: 0.5, verified: true },
 *   { seeder: "libtorrent", downloader: "aria2", sizeMiB: 64, wallSeconds: 3,
 *     transferSeconds: 2, firstByteSeconds: 0.5, seederCpuSeconds: 0.4, verified: true },
 * ])[0].vsLibtorrentSeed; // 2
 * ```
 */
export function seedRows(attempts: readonly SeedAttempt[]): BenchRow[] {
  const groups = new Map<string, SeedAttempt[]>();
  for (const a of attempts) {
    const key = `${a.seeder}\n${a.downloader}`;
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const summaries = [...groups.values()].map(summarize);
  const reference = (downloader: string) =>
    summaries.find((s) => s.seeder === REFERENCE_SEEDER && s.downloader === downloader);
  return summaries.map((s) => {
    const base = reference(s.downloader)?.transferMibPerSecond;
    const { seeder, downloader, ...figures } = s;
    return {
      seeder,
      downloader,
      ...figures,
      vsLibtorrentSeed: s.transferMibPerSecond !== null && base
        ? s.transferMibPerSecond / base
        : null,
    };
  });
}

function summarize(group: readonly SeedAttempt[]) {
  const { seeder, downloader, sizeMiB } = group[0];
  const good = group.filter((a): a is SeedMeasurement => "verified" in a && a.verified);
  const rate = (seconds: number | null) => seconds === null ? null : sizeMiB / seconds;
  const walls = good.map((a) => a.wallSeconds);
  const transfers = good.flatMap((a) => a.transferSeconds === null ? [] : [a.transferSeconds]);
  const cpuShares = good.flatMap((a) =>
    a.transferSeconds ? [(100 * a.seederCpuSeconds) / a.transferSeconds] : []
  );
  const failure = group.find((a): a is SeedFailure => "error" in a);
  const unverified = group.some((a) => "verified" in a && !a.verified);
  return {
    seeder,
    downloader,
    mibPerSecond: rate(median(walls)),
    minMibPerSecond: walls.length ? sizeMiB / Math.max(...walls) : null,
    maxMibPerSecond: walls.length ? sizeMiB / Math.min(...walls) : null,
    transferMibPerSecond: rate(median(transfers)),
    firstByteSeconds: median(good.flatMap((a) => a.firstByteSeconds ?? [])),
    seederCpuSeconds: median(good.map((a) => a.seederCpuSeconds)),
    seederCpuPercent: median(cpuShares),
    verified: `${good.length}/${group.length}`,
    error: failure?.error ?? (unverified ? "a download did not match the payload" : null),
  };
}
