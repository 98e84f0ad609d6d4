/**
 * A temp folder with a seed copy of a multi-file payload, its `.torrent`, and empty folders for
 * leeches; shared by the self-tests of the real-client harness.
 * @module
 */

import {
  makePayload,
  makeTorrent,
  multiFileSpec,
  type Payload,
  type TorrentFile,
} from "../support/payload.ts";

/** Paths of one self-test's swarm. */
export interface Swarm {
  readonly payload: Payload;
  readonly torrent: TorrentFile;
  /** Save path of the seed copy (`payload.root` is inside it). */
  readonly seedDir: string;
  /** Another `.torrent` of the same payload (same info hash) announcing to `trackers`. */
  torrentWith(trackers: string[]): Promise<TorrentFile>;
  /** An empty folder per call, for a leech to download into. */
  leechDir(name: string): Promise<string>;
  /** Where `payload` lands under a leech's folder. */
  downloaded(leechDir: string): string;
}

/**
 * Runs `fn` with a fresh swarm folder and removes it afterwards. The torrent has no tracker.
 * @example
 * ```ts
 * await withSwarm({}, async (swarm) => {
 *   console.log(swarm.torrent.path);
 * });
 * ```
 */
export async function withSwarm(
  options: { pieceLength?: number },
  fn: (swarm: Swarm) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "swarm-" });
  try {
    const seedDir = `${dir}/seed`;
    const payload = await makePayload(seedDir, multiFileSpec("album"));
    const pieceLength = options.pieceLength ?? 1 << 15;
    const torrent = await makeTorrent(payload.root, { pieceLength, out: `${dir}/album.torrent` });
    let made = 0;
    await fn({
      payload,
      torrent,
      seedDir,
      torrentWith: (trackers) =>
        makeTorrent(payload.root, { pieceLength, trackers, out: `${dir}/album-${++made}.torrent` }),
      async leechDir(name) {
        const path = `${dir}/${name}`;
        await Deno.mkdir(path);
        return path;
      },
      downloaded: (leechDir) => `${leechDir}/${payload.name}`,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Overwrites a few bytes in the middle of the payload's biggest file, so one piece fails its hash.
 * @example
 * ```ts
 * await corruptPayload(swarm.payload);
 * ```
 */
export async function corruptPayload(payload: Payload): Promise<void> {
  const biggest = [...payload.files].sort((a, b) => b.size - a.size)[0];
  const path = `${payload.root}/${biggest.path}`;
  const bytes = await Deno.readFile(path);
  const at = Math.floor(bytes.length / 2);
  bytes[at] ^= 0xff;
  await Deno.writeFile(path, bytes);
}
