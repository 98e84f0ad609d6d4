/**
 * The demo swarm on loopback: the album generated in a temporary folder, a torrent of it, our
 * throttled seeders (each a Torrent on its own listening port) and one downloading Torrent that
 * dials them all. Everything lives under one temporary folder that `stop()` removes.
 * @module
 */

import { createTorrent } from "../metainfo/create_torrent.ts";
import { parseMetainfo } from "../metainfo/parse_metainfo.ts";
import type { Metainfo } from "../metainfo/types.ts";
import { FileStore } from "../storage/file_store.ts";
import { resumePath, saveResume, stampFiles } from "../storage/resume_file.ts";
import { PeerListener } from "../torrent/peer_listener.ts";
import { Torrent } from "../torrent/torrent.ts";
import { Bitfield } from "../util/bitfield.ts";
import { formatBytes } from "../util/format.ts";
import { ALBUM_NAME, albumFiles, type ByteRange, writeAlbum } from "./album.ts";
import { type PeerPlan, planSwarm } from "./swarm_plan.ts";

/** What to start. */
export interface DemoSwarmOptions {
  /** Album size in bytes. */
  readonly sizeBytes: number;
  /** About how long the download should take. */
  readonly seconds: number;
  /** The downloader keeps seeding once done (as in the TUI) instead of ending "done". */
  readonly keepSeeding: boolean;
  /** Progress of the set-up, one line a step. */
  readonly onStep?: (text: string) => void;
}

/** One of our seeders. */
export interface DemoPeer {
  readonly plan: PeerPlan;
  readonly torrent: Torrent;
  /** Its listening port on 127.0.0.1. */
  readonly port: number;
}

/** A running demo swarm. */
export interface DemoSwarm {
  /** The temporary folder holding everything (removed by `stop`). */
  readonly root: string;
  readonly metainfo: Metainfo;
  /** The torrent the UI shows. */
  readonly downloader: Torrent;
  readonly peers: readonly DemoPeer[];
  /** Stops every torrent and listener, then removes `root`. Safe to call twice. */
  stop(): Promise<void>;
}

/** Content seed: the same size gives the same album, torrent and info-hash every run. */
const CONTENT_SEED = 0x5eed;

/**
 * Generates the album, makes its torrent, starts the seeders and the downloader. On failure,
 * whatever was started is stopped and the temporary folder removed before the error propagates.
 * @example
 * ```ts
 * const swarm = await startDemoSwarm({ sizeBytes: 8 << 20, seconds: 5, keepSeeding: false });
 * await swarm.downloader.whenDone();
 * await swarm.stop();
 * ```
 */
export async function startDemoSwarm(options: DemoSwarmOptions): Promise<DemoSwarm> {
  const step = options.onStep ?? (() => {});
  const root = await Deno.makeTempDir({ prefix: "bittorrent-ts-demo-" });
  const torrents: Torrent[] = [];
  const listeners: PeerListener[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    stopped ??= (async () => {
      for (const listener of listeners) listener.close();
      await Promise.allSettled(torrents.map((t) => t.stop()));
      await Deno.remove(root, { recursive: true }).catch(() => {});
    })();
  try {
    const files = albumFiles(options.sizeBytes);
    step(`generating a ${formatBytes(options.sizeBytes)} album in ${root}`);
    const seedDir = `${root}/seed`;
    await writeAlbum(seedDir, files, { seed: CONTENT_SEED });
    step("making its torrent");
    const metainfo = await parseMetainfo(
      await createTorrent({
        path: `${seedDir}/${ALBUM_NAME}`,
        comment: "bittorrent-ts demo",
        creationDate: null,
        // The demo wires its peers itself; with no peer exchange the seeders' rates decide
        // the download time, as planned.
        private: true,
      }),
    );
    // Partial peers' files are written by album offset: that must be the torrent's order.
    const order = metainfo.files.map((f) => f.path.slice(1).join("/"));
    if (order.join("\n") !== files.map((f) => f.path).join("\n")) {
      throw new Error(`the torrent lists the album's files in another order: ${order.join(", ")}`);
    }
    const plans = planSwarm({
      pieceCount: metainfo.pieceCount,
      totalBytes: metainfo.totalLength,
      seconds: options.seconds,
      seed: CONTENT_SEED,
    });
    // Full seeders share the generated album (they only read it); a partial peer gets sparse
    // files of its own, as it also downloads the pieces it lacks.
    await writeResumeFile(metainfo, seedDir, Bitfield.full(metainfo.pieceCount));
    const peers: DemoPeer[] = [];
    for (const [i, plan] of plans.entries()) {
      const dir = plan.pieces.complete ? seedDir : `${root}/peer-${i + 1}`;
      if (!plan.pieces.complete) {
        step(`writing the pieces of the ${plan.label}`);
        await writeAlbum(dir, files, {
          seed: CONTENT_SEED,
          ranges: pieceRanges(metainfo, plan.pieces),
        });
        await writeResumeFile(metainfo, dir, plan.pieces);
      }
      const torrent = new Torrent(metainfo, { dir, seed: true, uploadRateLimit: plan.uploadRate });
      torrents.push(torrent);
      const listener = new PeerListener({ port: 0, hostname: "127.0.0.1" });
      listeners.push(listener);
      listener.register(torrent);
      await torrent.start();
      if (torrent.picker.have.count !== plan.pieces.count) {
        throw new Error(`demo seeder ${i + 1} started with ${torrent.picker.have.count} pieces`);
      }
      peers.push({ plan, torrent, port: listener.port });
      step(`${plan.label} on 127.0.0.1:${listener.port}, upload ${formatBytes(plan.uploadRate)}/s`);
    }
    const downloader = new Torrent(metainfo, {
      dir: `${root}/download`,
      seed: options.keepSeeding,
    });
    torrents.push(downloader);
    await downloader.start();
    downloader.addPeers(peers.map((p) => ({ host: "127.0.0.1", port: p.port })), "demo");
    return { root, metainfo, downloader, peers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The byte ranges of the album that `pieces` cover, one per run of consecutive pieces.
 * @example
 * ```ts
 * const pieces = new Bitfield(3);
 * pieces.set(0);
 * pieces.set(2);
 * pieceRanges({ pieceLength: 4, totalLength: 10, pieceCount: 3 }, pieces);
 * // [{ start: 0, end: 4 }, { start: 8, end: 10 }]
 * ```
 */
export function pieceRanges(
  metainfo: Pick<Metainfo, "pieceLength" | "totalLength" | "pieceCount">,
  pieces: Bitfield,
): ByteRange[] {
  const ranges: ByteRange[] = [];
  for (let i = 0; i < metainfo.pieceCount; i++) {
    if (!pieces.has(i)) continue;
    const start = i * metainfo.pieceLength;
    while (i + 1 < metainfo.pieceCount && pieces.has(i + 1)) i++;
    ranges.push({ start, end: Math.min(metainfo.totalLength, (i + 1) * metainfo.pieceLength) });
  }
  return ranges;
}

/**
 * Vouches for `pieces` in `dir` the way a torrent that verified them would, so a seeder starts
 * at once instead of hashing data the demo has just generated and hashed into the torrent.
 */
async function writeResumeFile(metainfo: Metainfo, dir: string, pieces: Bitfield) {
  const store = new FileStore(metainfo, dir);
  const files = await stampFiles(store.paths);
  await store.close();
  await saveResume(resumePath(dir, metainfo.infoHashHex), {
    infoHashHex: metainfo.infoHashHex,
    have: pieces,
    files,
  });
}
