/**
 * The download benchmark: one libtorrent seed on loopback, and our client, aria2 and
 * libtorrent downloading the same payload from it in turn, each into a fresh folder, for a
 * few rounds. Our client also downloads a smaller payload, to show whether its memory grows
 * with the data.
 * @module
 */

import type { BenchPayload } from "./bench_payloads.ts";
import type { BenchContext, SectionResult } from "./section.ts";
import {
  DOWNLOAD_COLUMNS,
  type DownloadAttempt,
  downloadRows,
  flatnessNote,
  summarizeDownloads,
} from "./download_table.ts";
import { leechAria2 } from "./leech_aria2.ts";
import { leechLibtorrent } from "./leech_libtorrent.ts";
import { leechOurs, ourIdleRssKiB } from "./leech_ours.ts";
import type { Leecher } from "./leecher.ts";
import { measureDownload } from "./measure_download.ts";
import { type SeededSwarm, withSeededSwarm } from "./seeded_swarm.ts";

/** The downloaders, in the order they run within a round. */
export const DOWNLOAD_CLIENTS = ["ours", "aria2", "libtorrent"] as const;

/** One of {@linkcode DOWNLOAD_CLIENTS}. */
export type DownloadClient = typeof DOWNLOAD_CLIENTS[number];

const LEECHERS: Record<DownloadClient, Leecher> = {
  ours: leechOurs,
  aria2: leechAria2,
  libtorrent: leechLibtorrent,
};

/** What to run. */
export interface DownloadBenchOptions {
  readonly sizeMiB: number;
  readonly clients: readonly DownloadClient[];
  /** Rounds of every client in turn; each row shows the median round. */
  readonly rounds: number;
  /**
   * First an unmeasured libtorrent download, so the seed has its file mapped and cached
   * before anyone is timed: otherwise whoever goes first is measured against a cold seed.
   */
  readonly warmUp: boolean;
  /** Also run our client at this size (same rounds), for memory flatness; absent: skip. */
  readonly flatnessSizeMiB?: number;
}

/**
 * Runs the download benchmark. A round that fails is reported with its error; the others
 * still run.
 * @example
 * ```ts
 * const result = await benchDownload(context, {
 *   sizeMiB: 8,
 *   clients: ["ours"],
 *   rounds: 1,
 *   warmUp: false,
 * });
 * console.log(result.rows);
 * ```
 */
export async function benchDownload(
  context: BenchContext,
  options: DownloadBenchOptions,
): Promise<SectionResult> {
  const attempts: DownloadAttempt[] = [];
  const notes: string[] = [];
  const runAll = async (sizeMiB: number, clients: readonly DownloadClient[]) => {
    context.log(`download: making a ${sizeMiB} MiB payload`);
    const payload = await context.payloads.singleFile(sizeMiB);
    await withSeededSwarm(payload, context.workDir, async (swarm) => {
      if (options.warmUp) await warmUp(context, payload, swarm, notes);
      for (let round = 1; round <= options.rounds; round++) {
        for (const client of clients) {
          context.log(`download: ${client}, ${sizeMiB} MiB, round ${round}/${options.rounds}`);
          attempts.push(await attempt(client, payload, swarm, `${context.workDir}/dl-${client}`));
        }
      }
    });
  };
  await runAll(options.sizeMiB, options.clients);
  const flat = options.flatnessSizeMiB;
  if (flat !== undefined && flat !== options.sizeMiB && options.clients.includes("ours")) {
    await runAll(flat, ["ours"]);
  }
  if (options.clients.includes("ours")) {
    const idle = await ourIdleRssKiB(context.workDir);
    notes.push(`ours at rest (mod.ts --help): peak RSS ${(idle / 1024).toFixed(1)} MiB`);
  }
  const summaries = summarizeDownloads(attempts);
  const flatness = flatnessNote(summaries, "ours");
  return {
    title: `download: ${options.sizeMiB} MiB single file, 256 KiB pieces, from a libtorrent ` +
      `seed on loopback (median of ${options.rounds} round${options.rounds === 1 ? "" : "s"})`,
    columns: DOWNLOAD_COLUMNS,
    rows: downloadRows(summaries),
    notes: [
      "MiB/s: payload over wall time, from starting the client's process to its having every " +
      "piece verified (start-up included), for the median round; min/max over all rounds; " +
      "vs fastest: over the fastest client's median at that size.",
      "xfer MiB/s: over the time from the seed's first upload (±0.1 s) to completion.",
      "peak RSS: ours exact (wait4 ru_maxrss), others the kernel's VmHWM, max over rounds; it " +
      "counts mapped files, which libtorrent 2 writes through. peak anon: private memory, " +
      "sampled every 50 ms.",
      "usr/sys s: the downloader's CPU time; CPU %: their sum over its wall time; seed CPU %: " +
      `the libtorrent seed's meanwhile. ${navigator.hardwareConcurrency} CPUs in all.`,
      ...(flatness ? [flatness] : []),
      ...notes,
      ...attempts.flatMap((a) => "notes" in a ? a.notes.map((n) => `${a.client}: ${n}`) : []),
    ],
  };
}

async function attempt(
  client: DownloadClient,
  payload: BenchPayload,
  swarm: SeededSwarm,
  outDir: string,
): Promise<DownloadAttempt> {
  try {
    return await measureDownload(client, LEECHERS[client], payload, swarm, outDir);
  } catch (error) {
    return { client, sizeMiB: payload.sizeMiB, error: oneLine(error) };
  }
}

async function warmUp(
  context: BenchContext,
  payload: BenchPayload,
  swarm: SeededSwarm,
  notes: string[],
): Promise<void> {
  context.log(`download: warm-up (libtorrent, unmeasured), ${payload.sizeMiB} MiB`);
  const result = await attempt("libtorrent", payload, swarm, `${context.workDir}/dl-warm-up`);
  if ("error" in result) notes.push(`warm-up download failed: ${result.error}`);
  else if (!result.verified) notes.push("warm-up download did not match the payload");
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0];
}
