/**
 * The payloads a benchmark run moves: one deterministic single-file payload per size, with a
 * trackerless `.torrent` (256 KiB pieces) and its SHA-1, made once and shared by every
 * sub-benchmark of the run, since writing and hashing 1 GiB takes longer than moving it.
 * @module
 */

import { makePayload, makeTorrent, type Payload } from "../tests/support/payload.ts";
import { fileSha1 } from "./file_sha1.ts";

/** 256 KiB: the piece length the download benchmark is specified with. */
export const BENCH_PIECE_LENGTH = 256 * 1024;

/** A payload on disk with its torrent. */
export interface BenchPayload {
  readonly payload: Payload;
  /** A `.torrent` without trackers (peers are given directly). */
  readonly torrentPath: string;
  readonly infoHashHex: string;
  /** SHA-1 of the whole file, lowercase hex: what a download must hash to. */
  readonly sha1: string;
  readonly sizeMiB: number;
}

/**
 * Makes payloads under one folder on first request and hands out the same one afterwards.
 * @example
 * ```ts
 * const cache = new PayloadCache(await Deno.makeTempDir());
 * const p = await cache.singleFile(8);
 * console.log(p.torrentPath, p.sha1);
 * ```
 */
export class PayloadCache {
  readonly #dir: string;
  readonly #made = new Map<number, Promise<BenchPayload>>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** A file of `sizeMiB` MiB of seeded random bytes, named `payload-<size>MiB.bin`. */
  singleFile(sizeMiB: number): Promise<BenchPayload> {
    if (!Number.isInteger(sizeMiB) || sizeMiB < 1) {
      throw new RangeError(`payload size must be a whole number of MiB, not ${sizeMiB}`);
    }
    let made = this.#made.get(sizeMiB);
    if (!made) {
      made = this.#make(sizeMiB);
      this.#made.set(sizeMiB, made);
    }
    return made;
  }

  async #make(sizeMiB: number): Promise<BenchPayload> {
    const dir = `${this.#dir}/payload-${sizeMiB}`;
    const payload = await makePayload(dir, {
      name: `payload-${sizeMiB}MiB.bin`,
      size: sizeMiB * 1024 * 1024,
      seed: sizeMiB,
    });
    const torrent = await makeTorrent(payload.root, {
      pieceLength: BENCH_PIECE_LENGTH,
      out: `${this.#dir}/payload-${sizeMiB}.torrent`,
    });
    return {
      payload,
      torrentPath: torrent.path,
      infoHashHex: torrent.infoHashHex,
      sha1: await fileSha1(payload.root),
      sizeMiB,
    };
  }
}
