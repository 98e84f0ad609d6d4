/**
 * The seed benchmark (issue 4): our client and libtorrent each seed the payload on loopback,
 * and libtorrent and aria2 download it from each in turn, one at a time, into fresh folders,
 * for a few rounds. Both seeds run side by side with a tracker each, so the rounds interleave
 * (ours, libtorrent, ours, ...) and a slow spell of the machine hits both alike.
 * @module
 */

import type { BenchPayload } from "./bench_payloads.ts";
import { fileSha1 } from "./file_sha1.ts";
import { type BenchSeed, withOurSeed } from "./our_seeder.ts";
import { readCpu, readMemory } from "./proc_stats.ts";
import { downloadFromSeed, SEED_DOWNLOADERS, type SeedDownloaderName } from "./seed_downloads.ts";
import { SEED_COLUMNS, type SeedAttempt, seedRows } from "./seed_table.ts";
import { withSeededSwarm } from "./seeded_swarm.ts";
import type { BenchContext, Section, SectionResult } from "./section.ts";

/** The seeders, in the order a round runs them. */
export const SEEDERS = ["ours", "libtorrent"] as const;

/** One of {@linkcode SEEDERS}. */
export type SeederName = typeof SEEDERS[number];

/** What to run. */
export interface SeedBenchOptions {
  readonly sizeMiB: number;
  readonly rounds: number;
  /**
   * First one unmeasured libtorrent download from each seeder, so neither is timed on its
   * first upload (our client's code is still being compiled by V8 then).
   */
  readonly warmUp: boolean;
}

/**
 * Runs the seed benchmark. A round that fails is reported with its error; the others run.
 * @example
 * ```ts
 * const result = await benchSeed(context, { sizeMiB: 8, rounds: 1, warmUp: false });
 * console.log(result.rows);
 * ```
 */
export async function benchSeed(
  context: BenchContext,
  options: SeedBenchOptions,
): Promise<SectionResult> {
  context.log(`seed: making a ${options.sizeMiB} MiB payload`);
  const payload = await context.payloads.singleFile(options.sizeMiB);
  const attempts: SeedAttempt[] = [];
  const notes: string[] = [];
  await withSeededSwarm(
    payload,
    context.workDir,
    (swarm) =>
      withOurSeed(payload, context.workDir, async (ourSeed) => {
        const seeds: Record<SeederName, BenchSeed> = {
          ours: ourSeed,
          libtorrent: {
            pid: swarm.seed.pid,
            port: swarm.seed.port,
            trackedTorrentPath: swarm.trackedTorrentPath,
          },
        };
        const run = (seeder: SeederName, downloader: SeedDownloaderName, label: string) =>
          attempt(seeder, downloader, payload, seeds[seeder], `${context.workDir}/seed-${label}`);
        if (options.warmUp) {
          for (const seeder of SEEDERS) {
            context.log(`seed: warm-up of ${seeder} (libtorrent downloads, unmeasured)`);
            const result = await run(seeder, "libtorrent", "warm-up");
            if ("error" in result) notes.push(`warm-up from ${seeder} failed: ${result.error}`);
          }
        }
        for (let round = 1; round <= options.rounds; round++) {
          for (const downloader of SEED_DOWNLOADERS) {
            for (const seeder of SEEDERS) {
              context.log(
                `seed: ${seeder} -> ${downloader}, ${options.sizeMiB} MiB, round ${round}/${options.rounds}`,
              );
              attempts.push(await run(seeder, downloader, `${seeder}-${downloader}`));
            }
          }
        }
        for (const seeder of SEEDERS) {
          const hwm = readMemory(seeds[seeder].pid)?.hwmKiB;
          if (hwm !== undefined) {
            notes.push(
              `${seeder} seed: peak RSS ${(hwm / 1024).toFixed(1)} MiB (VmHWM, whole run)`,
            );
          }
        }
      }),
  );
  return {
    title: `seed: ${options.sizeMiB} MiB single file, 256 KiB pieces, seeded on loopback by ` +
      `ours and by libtorrent to libtorrent and aria2 (median of ${options.rounds} round` +
      `${options.rounds === 1 ? "" : "s"})`,
    columns: SEED_COLUMNS,
    rows: seedRows(attempts),
    notes: [
      "MiB/s: payload over the downloader's wall time, from starting its process to its having " +
      "every piece (its start-up included); min/max over all rounds.",
      "xfer MiB/s: from the downloader's first payload byte (libtorrent: its status lines, " +
      "±0.1 s; aria2: RPC polled every 20 ms) to completion; the ratio to libtorrent seeding " +
      "to the same downloader is the figure for the seed (target: ours >= 1.00).",
      "to 1st byte: from starting the downloader to its first payload byte (start-up, " +
      "connecting, handshakes, unchoke). libtorrent (pe_enabled) dials with an MSE handshake " +
      "first; both seeds answer it and agree on a plaintext stream.",
      "libtorrent dials the seed's port; aria2 finds it through an opentracker (one per seed).",
      "seeder CPU: user + system time of the seed's process during the download; % of the " +
      `transfer time. ${navigator.hardwareConcurrency} CPUs in all; the downloader runs on ` +
      "the same machine.",
      "Both seeds hash-check the payload before they serve it, so its pages are cached for both.",
      ...notes,
    ],
  };
}

async function attempt(
  seeder: SeederName,
  downloader: SeedDownloaderName,
  payload: BenchPayload,
  seed: BenchSeed,
  outDir: string,
): Promise<SeedAttempt> {
  const which = { seeder, downloader, sizeMiB: payload.sizeMiB };
  try {
    const cpuBefore = cpuSeconds(seed.pid);
    const times = await downloadFromSeed(downloader, {
      payload,
      seed,
      outDir,
      // Generous: at least 1 MiB/s, so only a stalled download times out.
      timeoutMs: 60_000 + payload.sizeMiB * 1_000,
    });
    const seederCpuSeconds = cpuSeconds(seed.pid) - cpuBefore;
    const digest = await fileSha1(`${outDir}/${payload.payload.name}`).catch(() => "missing");
    return {
      ...which,
      wallSeconds: times.completedAt - times.startedAt,
      transferSeconds: times.firstPayloadAt === null
        ? null
        : times.completedAt - times.firstPayloadAt,
      firstByteSeconds: times.firstPayloadAt === null
        ? null
        : times.firstPayloadAt - times.startedAt,
      seederCpuSeconds,
      verified: digest === payload.sha1,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ...which, error: message.split("\n")[0] };
  } finally {
    await Deno.remove(outDir, { recursive: true }).catch(() => {});
  }
}

function cpuSeconds(pid: number): number {
  const cpu = readCpu(pid);
  if (cpu === undefined) throw new Error(`the seed (pid ${pid}) is gone`);
  return cpu.userSeconds + cpu.systemSeconds;
}

/**
 * The registry entry: `--size` MiB (1 GiB by default), `--rounds` rounds after a warm-up.
 * @example
 * ```ts
 * const result = await SEED_SECTION.run(context);
 * ```
 */
export const SEED_SECTION: Section = {
  name: "seed",
  summary: "seeding: ours vs libtorrent as the seed, to libtorrent and aria2 (MiB/s, seed CPU)",
  run: (context) =>
    benchSeed(context, { sizeMiB: context.sizeMiB, rounds: context.rounds, warmUp: true }),
};
