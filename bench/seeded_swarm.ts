/**
 * The swarm a download benchmark runs in: an opentracker serving the payload's info hash and
 * one libtorrent seed on 127.0.0.1 announcing to it, for as long as a callback runs. One seed
 * serves every downloader in turn, so they all face the same uploader.
 * @module
 */

import { type LibtorrentPeer, startLibtorrent } from "../tests/support/libtorrent.ts";
import { startOpentracker } from "../tests/support/opentracker.ts";
import type { BenchPayload } from "./bench_payloads.ts";
import { writeTorrentWithTracker } from "./torrent_with_tracker.ts";

/** A seeded payload, reachable directly and through a tracker. */
export interface SeededSwarm {
  readonly seed: LibtorrentPeer;
  /** The payload's torrent announcing to the swarm's tracker (same info hash). */
  readonly trackedTorrentPath: string;
}

/** How the seed is run. */
export interface SeededSwarmOptions {
  /** The seed's upload cap in bytes per second (loopback included); absent: unlimited. */
  readonly uploadRateLimit?: number;
}

/**
 * Starts tracker and seed, waits until the tracker lists the seed, runs `body`, then stops
 * both by PID whatever happens.
 * @example
 * ```ts
 * await withSeededSwarm(payload, workDir, async ({ seed }) => {
 *   console.log(seed.port);
 * });
 * ```
 */
export async function withSeededSwarm<T>(
  payload: BenchPayload,
  workDir: string,
  body: (swarm: SeededSwarm) => Promise<T>,
  options: SeededSwarmOptions = {},
): Promise<T> {
  const tracker = await startOpentracker([payload.infoHashHex]);
  try {
    const trackedTorrentPath = `${workDir}/payload-${payload.sizeMiB}-tracked.torrent`;
    await writeTorrentWithTracker(payload.torrentPath, trackedTorrentPath, tracker.httpUrl);
    const seed = await startLibtorrent({
      torrent: trackedTorrentPath,
      dir: payload.payload.dir,
      mode: "seed",
      uploadRateLimit: options.uploadRateLimit,
      // The seed hash-checks the whole payload first: allow ~20 MiB/s at worst.
      startTimeoutMs: 15_000 + payload.sizeMiB * 50,
    });
    try {
      await tracker.waitForPeer(payload.infoHashHex, seed.port, 15_000);
      return await body({ seed, trackedTorrentPath });
    } finally {
      await seed.stop();
    }
  } finally {
    await tracker.stop();
  }
}
