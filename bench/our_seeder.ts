/**
 * Our client as a seed for the benchmarks: `mod.ts seed <torrent> --dir DIR --port 0 --no-tui
 * --no-dht`, announcing to an opentracker of its own so that aria2 (which cannot dial a given
 * peer) finds it, while other downloaders dial its port. Its data folder holds a hard link to
 * the payload, so the file's page cache is shared with every other reader of the run and the
 * resume file our client writes stays out of the payload's folder.
 * @module
 */

import { startOpentracker } from "../tests/support/opentracker.ts";
import { listeningPort, startOurClient } from "../tests/support/our_client.ts";
import type { BenchPayload } from "./bench_payloads.ts";
import { writeTorrentWithTracker } from "./torrent_with_tracker.ts";

/** A seed a benchmark downloads from: dial `port`, or find it through `trackedTorrentPath`. */
export interface BenchSeed {
  readonly pid: number;
  /** Its listen port on 127.0.0.1. */
  readonly port: number;
  /** The payload's torrent announcing to a tracker that lists this seed (same info hash). */
  readonly trackedTorrentPath: string;
}

/**
 * Starts our client seeding `payload` with a tracker of its own, waits until the tracker lists
 * it (so its hash check is over and it accepts peers), runs `body`, then stops both by PID and
 * removes its folder whatever happens.
 * @example
 * ```ts
 * await withOurSeed(payload, workDir, async (seed) => {
 *   console.log(seed.port, seed.trackedTorrentPath);
 * });
 * ```
 */
export async function withOurSeed<T>(
  payload: BenchPayload,
  workDir: string,
  body: (seed: BenchSeed) => Promise<T>,
): Promise<T> {
  const dir = `${workDir}/seed-ours-${payload.sizeMiB}`;
  await Deno.mkdir(dir, { recursive: true });
  const tracker = await startOpentracker([payload.infoHashHex]);
  try {
    await Deno.link(payload.payload.root, `${dir}/${payload.payload.name}`);
    const trackedTorrentPath = `${workDir}/payload-${payload.sizeMiB}-ours-tracked.torrent`;
    await writeTorrentWithTracker(payload.torrentPath, trackedTorrentPath, tracker.httpUrl);
    const client = startOurClient([
      "seed",
      trackedTorrentPath,
      "--dir",
      dir,
      "--port",
      "0",
      "--no-tui",
      "--no-dht",
    ]);
    try {
      const port = await listeningPort(client, 30_000);
      // It announces once its hash check is over: allow ~20 MiB/s for that, as for libtorrent.
      await tracker.waitForPeer(payload.infoHashHex, port, 15_000 + payload.sizeMiB * 50)
        .catch((error) => {
          throw new Error(`${error.message}\n--- our seed's output ---\n${client.output()}`);
        });
      return await body({ pid: client.pid, port, trackedTorrentPath });
    } finally {
      await client.stop();
    }
  } finally {
    await tracker.stop();
    await Deno.remove(dir, { recursive: true });
  }
}
