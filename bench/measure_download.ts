/**
 * One measured download: a client fetches the payload from the swarm's seed into a fresh
 * folder, the seed's clock and CPU are read around it, and the result is checked byte for byte
 * (SHA-1 of the file against the payload's) before the folder is removed.
 * @module
 */

import type { BenchPayload } from "./bench_payloads.ts";
import { fileSha1 } from "./file_sha1.ts";
import type { Leecher } from "./leecher.ts";
import { type CpuReading, readCpu } from "./proc_stats.ts";
import type { SeededSwarm } from "./seeded_swarm.ts";
import { watchSeedUpload } from "./seed_upload_clock.ts";

/** What one download measured. Times in seconds, memory in KiB. */
export interface DownloadMeasurement {
  readonly client: string;
  readonly sizeMiB: number;
  /** From starting the client's process to its having every piece verified. */
  readonly wallSeconds: number;
  /** From the seed's first upload to completion (±0.1 s); null if the seed never showed one. */
  readonly transferSeconds: number | null;
  readonly peakRssKiB: number;
  readonly anonPeakKiB: number;
  readonly cpu: CpuReading;
  /** CPU seconds (user + system) the seed used while this client downloaded. */
  readonly seedCpuSeconds: number;
  /** The downloaded file hashes to the payload's SHA-1. */
  readonly verified: boolean;
  readonly notes: readonly string[];
}

/**
 * Runs `leecher` against the swarm's seed and measures it.
 * @example
 * ```ts
 * const m = await measureDownload("ours", leechOurs, payload, swarm, `${workDir}/dl-ours`);
 * console.log(m.wallSeconds, m.verified);
 * ```
 */
export async function measureDownload(
  client: string,
  leecher: Leecher,
  payload: BenchPayload,
  swarm: SeededSwarm,
  outDir: string,
): Promise<DownloadMeasurement> {
  const seedCpuBefore = cpuSeconds(swarm.seed.pid);
  const clock = watchSeedUpload(swarm.seed);
  let transferStart: number | undefined;
  try {
    const outcome = await leecher({
      payload,
      trackedTorrentPath: swarm.trackedTorrentPath,
      seedPort: swarm.seed.port,
      outDir,
      // Generous: at least 1 MiB/s, so only a stalled download times out.
      timeoutMs: 60_000 + payload.sizeMiB * 1_000,
    }).finally(() => (transferStart = clock.stop()));
    const seedCpuSeconds = cpuSeconds(swarm.seed.pid) - seedCpuBefore;
    const digest = await fileSha1(`${outDir}/${payload.payload.name}`).catch(() => "missing");
    return {
      client,
      sizeMiB: payload.sizeMiB,
      wallSeconds: outcome.completedAt - outcome.startedAt,
      transferSeconds: transferStart === undefined ? null : outcome.completedAt - transferStart,
      peakRssKiB: outcome.peakRssKiB,
      anonPeakKiB: outcome.anonPeakKiB,
      cpu: outcome.cpu,
      seedCpuSeconds,
      verified: digest === payload.sha1,
      notes: outcome.notes,
    };
  } finally {
    await Deno.remove(outDir, { recursive: true }).catch(() => {});
  }
}

function cpuSeconds(pid: number): number {
  const cpu = readCpu(pid);
  if (cpu === undefined) throw new Error(`the seed (pid ${pid}) is gone`);
  return cpu.userSeconds + cpu.systemSeconds;
}
