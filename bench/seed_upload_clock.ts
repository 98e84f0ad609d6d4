/**
 * When a transfer started, seen from the libtorrent seed: the moment its upload counter first
 * moves past where it stood when the watch began. The seed prints a status line every 0.2 s,
 * so the start is taken halfway between the last idle line and the first busy one (±0.1 s).
 * This gives every downloader the same clock, whatever it reports about itself.
 * @module
 */

import type { LibtorrentPeer } from "../tests/support/libtorrent.ts";

/** A running watch of a seed's upload counter. */
export interface SeedUploadClock {
  /** Stops watching; the start in Unix seconds, or `undefined` if no upload was seen. */
  stop(): number | undefined;
}

/**
 * Polls the seed's latest status every `intervalMs` (status lines come every 200 ms). Start it
 * just before the downloader, while the seed is idle.
 * @example
 * ```ts
 * const clock = watchSeedUpload(seed);
 * // ... a download from the seed ...
 * const startedAt = clock.stop();
 * ```
 */
export function watchSeedUpload(seed: LibtorrentPeer, intervalMs = 20): SeedUploadClock {
  const baseline = seed.status().uploaded;
  // Nobody is downloading yet, so the seed is idle now even if its latest line is older.
  let lastIdle = Date.now() / 1000;
  let firstBusy: number | undefined;
  const poll = () => {
    const status = seed.status();
    if (status.uploaded <= baseline) lastIdle = Math.max(lastIdle, status.time);
    else firstBusy ??= status.time;
  };
  const timer = setInterval(poll, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      poll();
      return firstBusy === undefined ? undefined : (lastIdle + firstBusy) / 2;
    },
  };
}
