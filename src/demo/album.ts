/**
 * The demo's payload: a small "album" (a cover, tracks, a booklet, notes) of any size, written
 * to disk whole or only in chosen byte ranges (a partial peer's sparse files).
 * @module
 */

import { writeAll } from "../util/write_all.ts";
import { fillDemoBytes } from "./demo_bytes.ts";

/** The album's folder name, and so the torrent's name. */
export const ALBUM_NAME = "demo album";

/** One file of the album: its path below the album folder and its size. */
export interface AlbumFile {
  readonly path: string;
  readonly length: number;
}

/** Bytes `[start, end)` of the album seen as one stream (its files one after another). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * Relative sizes; the tracks differ so the files panel and piece map look like an album. In
 * torrent order (paths in byte order, as `createTorrent` sorts them), so a byte range of the
 * album is the same range of the torrent.
 */
const LAYOUT: readonly { path: string; weight: number }[] = [
  { path: "01 - Overture.flac", weight: 11 },
  { path: "02 - Handshake.flac", weight: 14 },
  { path: "03 - Rarest First.flac", weight: 9 },
  { path: "04 - Choke, Unchoke.flac", weight: 16 },
  { path: "05 - Endgame.flac", weight: 12 },
  { path: "06 - Seeding (reprise).flac", weight: 18 },
  { path: "cover.jpg", weight: 1.5 },
  { path: "extras/booklet.pdf", weight: 5 },
  { path: "extras/notes.txt", weight: 0.05 },
];

/**
 * The album's files for a total size, in torrent order: every file at least one byte, sizes
 * that are no round numbers (so files straddle piece boundaries), summing to `totalBytes`.
 * @example
 * ```ts
 * const files = albumFiles(200 * 1024 * 1024);
 * files.reduce((n, f) => n + f.length, 0); // 209715200
 * ```
 */
export function albumFiles(totalBytes: number): AlbumFile[] {
  if (!Number.isSafeInteger(totalBytes) || totalBytes < LAYOUT.length) {
    throw new RangeError(`an album needs at least ${LAYOUT.length} bytes, not ${totalBytes}`);
  }
  const weights = LAYOUT.reduce((sum, f) => sum + f.weight, 0);
  const files = LAYOUT.map((f) => ({
    path: f.path,
    length: Math.max(1, Math.floor((totalBytes * f.weight) / weights)),
  }));
  // What rounding left over goes to the longest track.
  const rest = totalBytes - files.reduce((sum, f) => sum + f.length, 0);
  const longest = files.reduce((best, f, i) => (f.length > files[best].length ? i : best), 0);
  files[longest] = { ...files[longest], length: files[longest].length + rest };
  return files;
}

/**
 * Writes the album into `dir/<ALBUM_NAME>/`: each file at its full size, holding the demo bytes
 * of `ranges` (default: everything) and zeros elsewhere (sparse on most file systems). A range
 * must start at a multiple of 4, as piece boundaries do.
 * @example
 * ```ts
 * await writeAlbum(dir, albumFiles(8 << 20), { seed: 1 });
 * ```
 */
export async function writeAlbum(
  dir: string,
  files: readonly AlbumFile[],
  options: { seed: number; ranges?: readonly ByteRange[] },
): Promise<void> {
  const total = files.reduce((sum, f) => sum + f.length, 0);
  const ranges = options.ranges ?? [{ start: 0, end: total }];
  const chunk = new Uint8Array(1 << 20);
  let fileStart = 0;
  for (const file of files) {
    const path = `${dir}/${ALBUM_NAME}/${file.path}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    using out = await Deno.open(path, { write: true, create: true, truncate: true });
    await out.truncate(file.length);
    const fileEnd = fileStart + file.length;
    for (const range of ranges) {
      // The part of the range inside this file, generated from a 4-aligned album offset.
      const from = Math.max(range.start, fileStart);
      const to = Math.min(range.end, fileEnd);
      for (let at = from - (from % 4); at < to; at += chunk.length) {
        const n = Math.min(chunk.length, to - at);
        const block = chunk.subarray(0, n);
        fillDemoBytes(block, at, options.seed);
        const skip = Math.max(0, from - at);
        await out.seek(at + skip - fileStart, Deno.SeekMode.Start);
        await writeAll(out, block.subarray(skip));
      }
    }
    fileStart = fileEnd;
  }
}
