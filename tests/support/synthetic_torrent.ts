/**
 * In-memory torrents for engine tests: content from a seeded PRNG, the .torrent bytes, and the
 * parsed metainfo, without touching disk or running mktorrent.
 * @module
 */

import { encodeBencode } from "../../src/bencode/encode_bencode.ts";
import { parseMetainfo } from "../../src/metainfo/parse_metainfo.ts";
import type { Metainfo } from "../../src/metainfo/types.ts";
import { concatBytes, sha1 } from "../../src/util/bytes.ts";

/** A torrent and its content. */
export interface SyntheticTorrent {
  readonly metainfo: Metainfo;
  readonly torrentBytes: Uint8Array;
  /** The concatenated content of all files. */
  readonly content: Uint8Array;
}

/**
 * Builds a torrent of `files` (one file: single-file torrent named `name`).
 * @example
 * ```ts
 * const t = await syntheticTorrent("x", [{ path: "x", length: 100_000 }], 32768);
 * ```
 */
export async function syntheticTorrent(
  name: string,
  files: readonly { path: string; length: number }[],
  pieceLength: number,
  seed = 1,
): Promise<SyntheticTorrent> {
  const content = randomBytes(files.reduce((n, f) => n + f.length, 0), seed);
  const hashes: Uint8Array[] = [];
  for (let at = 0; at < content.length; at += pieceLength) {
    hashes.push(await sha1(content.subarray(at, at + pieceLength)));
  }
  const info = files.length === 1 && files[0].path === name
    ? { name, "piece length": pieceLength, pieces: concatBytes(hashes), length: files[0].length }
    : {
      name,
      "piece length": pieceLength,
      pieces: concatBytes(hashes),
      files: files.map((f) => ({ length: f.length, path: f.path.split("/") })),
    };
  const torrentBytes = encodeBencode({ announce: "http://127.0.0.1:1/announce", info });
  return { metainfo: await parseMetainfo(torrentBytes), torrentBytes, content };
}

/**
 * Deterministic pseudo-random bytes (xorshift32), fast enough for hundreds of MiB.
 * @example
 * ```ts
 * randomBytes(16, 1).length; // 16
 * ```
 */
export function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  const words = new Uint32Array(out.buffer, 0, length >> 2);
  let x = seed | 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x;
  }
  for (let i = words.length * 4; i < length; i++) out[i] = i & 255;
  return out;
}
