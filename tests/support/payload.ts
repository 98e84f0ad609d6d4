/**
 * Test payloads: deterministic random files on disk, `.torrent` files for them made with
 * Debian's `mktorrent`, and a byte-for-byte tree comparison for asserting downloads.
 * @module
 */

import bencode from "bencode";
import { sha1, toHex } from "../../src/util/bytes.ts";
import { writeAll } from "../../src/util/write_all.ts";

/** One file of a payload, its path relative to the payload's top folder ("/"-separated). */
export interface PayloadFileSpec {
  readonly path: string;
  readonly size: number;
}

/**
 * What to write: one file named `name`, or a folder named `name` holding `files`.
 * The same `seed` always gives the same bytes, so a failing run can be reproduced.
 */
export type PayloadSpec =
  | { readonly name: string; readonly size: number; readonly seed?: number }
  | { readonly name: string; readonly files: readonly PayloadFileSpec[]; readonly seed?: number };

/** A payload written to disk. */
export interface Payload {
  /** The folder it was written into: the "save path" / download dir that clients are given. */
  readonly dir: string;
  /** `dir/name`: the single file, or the top folder of a multi-file payload. */
  readonly root: string;
  readonly name: string;
  readonly files: readonly PayloadFileSpec[];
  readonly totalSize: number;
}

/** A `.torrent` made by `makeTorrent`. */
export interface TorrentFile {
  readonly path: string;
  /** SHA-1 of the bencoded info dictionary, lowercase hex (v1 info hash). */
  readonly infoHashHex: string;
}

/**
 * A multi-file layout that exercises what single-file tests miss: nested folders, sizes that
 * are not multiples of any power-of-two piece length, a file smaller than a block, and an
 * empty file. `scale` multiplies the big files' sizes (1 → about 1.6 MB in total).
 * @example
 * ```ts
 * const spec = multiFileSpec("album");
 * ```
 */
export function multiFileSpec(name: string, scale = 1, seed = 1): PayloadSpec {
  return {
    name,
    seed,
    files: [
      { path: "cover.jpg", size: Math.round(100_003 * scale) },
      { path: "disc 1/01 intro.flac", size: Math.round(1_048_579 * scale) },
      { path: "disc 1/02 empty.txt", size: 0 },
      { path: "disc 2/deep/nested/notes.txt", size: 1_337 },
      { path: "disc 2/track.bin", size: Math.round(456_789 * scale) },
    ],
  };
}

/**
 * Writes `spec` into `dir` with bytes from a seeded PRNG, and returns where it is.
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * const p = await makePayload(dir, { name: "one.bin", size: 100_000 });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function makePayload(dir: string, spec: PayloadSpec): Promise<Payload> {
  const files = "files" in spec ? spec.files : [{ path: "", size: spec.size }];
  const random = prng(spec.seed ?? 1);
  const root = `${dir}/${spec.name}`;
  for (const file of files) {
    const path = file.path === "" ? root : `${root}/${file.path}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    using out = await Deno.open(path, { write: true, create: true, truncate: true });
    const chunk = new Uint8Array(1 << 20);
    for (let left = file.size; left > 0;) {
      const n = Math.min(left, chunk.length);
      random(chunk.subarray(0, n));
      await writeAll(out, chunk.subarray(0, n));
      left -= n;
    }
  }
  return {
    dir,
    root,
    name: spec.name,
    files: "files" in spec ? spec.files : [{ path: spec.name, size: spec.size }],
    totalSize: files.reduce((sum, f) => sum + f.size, 0),
  };
}

/** A mulberry32 generator filling buffers; fast enough for 64 MiB in well under a second. */
function prng(seed: number): (into: Uint8Array) => void {
  let state = seed >>> 0;
  return (into) => {
    const words = new DataView(into.buffer, into.byteOffset, into.byteLength);
    for (let i = 0; i < into.length; i += 4) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const word = (t ^ (t >>> 14)) >>> 0;
      if (i + 4 <= into.length) words.setUint32(i, word);
      else for (let k = 0; i + k < into.length; k++) into[i + k] = word >>> (24 - 8 * k);
    }
  };
}

/**
 * Makes a `.torrent` for `path` (a file or folder) with `mktorrent`. `pieceLength` is in bytes
 * and must be a power of two from 32 KiB to 256 MiB (mktorrent takes it as `-l log2`).
 * Trackers each become their own tier (`-a` repeated). No creation date (`-d`), so the same
 * payload gives the same bytes. `out` must not exist: mktorrent refuses to overwrite.
 * @example
 * ```ts
 * const t = await makeTorrent("/tmp/p/one.bin", { pieceLength: 32768, out: "/tmp/p/one.torrent" });
 * ```
 */
export async function makeTorrent(
  path: string,
  options: {
    trackers?: readonly string[];
    pieceLength: number;
    out: string;
    private?: boolean;
  },
): Promise<TorrentFile> {
  const exponent = Math.log2(options.pieceLength);
  // mktorrent 1.1 accepts 15..28.
  if (!Number.isInteger(exponent) || exponent < 15 || exponent > 28) {
    throw new Error(`pieceLength ${options.pieceLength} is not a power of two in 32 KiB..256 MiB`);
  }
  const args = ["-d", "-l", String(exponent), "-o", options.out];
  for (const tracker of options.trackers ?? []) args.push("-a", tracker);
  if (options.private) args.push("-p");
  args.push(path);
  const result = await new Deno.Command("mktorrent", { args, stdout: "piped", stderr: "piped" })
    .output();
  if (!result.success) {
    const text = new TextDecoder().decode(result.stderr) + new TextDecoder().decode(result.stdout);
    throw new Error(`mktorrent ${args.join(" ")} failed: ${text.trim()}`);
  }
  return { path: options.out, infoHashHex: await infoHashOf(options.out) };
}

/**
 * The v1 info hash (lowercase hex) of a `.torrent` file. Re-encoding the decoded info
 * dictionary is exact for canonical bencode, which mktorrent writes.
 * @example
 * ```ts
 * const hex = await infoHashOf("/tmp/p/one.torrent");
 * ```
 */
export async function infoHashOf(torrentPath: string): Promise<string> {
  const decoded = bencode.decode(await Deno.readFile(torrentPath));
  return toHex(await sha1(bencode.encode(decoded.info)));
}

/** How strictly to compare trees. */
export interface TreeCompareOptions {
  /**
   * Accept empty files of `a` that are missing from `b`. Transmission 3.00 never creates a
   * torrent's zero-length files, so its downloads need this; nothing else should.
   */
  readonly ignoreMissingEmptyFiles?: boolean;
}

/**
 * Lists every difference between two files or directory trees: files missing on either side,
 * size mismatches and the first differing byte offset. Empty when identical.
 * @example
 * ```ts
 * const diffs = await treeDifferences("/tmp/a", "/tmp/b");
 * ```
 */
export async function treeDifferences(
  a: string,
  b: string,
  options: TreeCompareOptions = {},
): Promise<string[]> {
  const [left, right] = await Promise.all([listFiles(a), listFiles(b)]);
  const diffs: string[] = [];
  for (const [rel, size] of left) {
    const other = right.get(rel);
    const shown = rel === "" ? "(file)" : rel;
    if (other === undefined) {
      if (!(size === 0 && options.ignoreMissingEmptyFiles)) diffs.push(`only in ${a}: ${shown}`);
    } else if (other !== size) diffs.push(`${shown}: size ${size} vs ${other}`);
    else {
      const offset = await firstDifference(join(a, rel), join(b, rel));
      if (offset !== undefined) diffs.push(`${shown}: bytes differ from offset ${offset}`);
    }
  }
  for (const rel of right.keys()) {
    if (!left.has(rel)) diffs.push(`only in ${b}: ${rel === "" ? "(file)" : rel}`);
  }
  return diffs;
}

/**
 * Asserts two files or trees are byte-for-byte identical; throws listing each difference.
 * @example
 * ```ts
 * await sameTree("/tmp/seed/album", "/tmp/leech/album");
 * ```
 */
export async function sameTree(
  a: string,
  b: string,
  options: TreeCompareOptions = {},
): Promise<void> {
  const diffs = await treeDifferences(a, b, options);
  if (diffs.length > 0) {
    throw new Error(`trees differ: ${a} vs ${b}\n  ${diffs.slice(0, 20).join("\n  ")}`);
  }
}

function join(base: string, rel: string): string {
  return rel === "" ? base : `${base}/${rel}`;
}

/** Relative path → size of every regular file under `path` ("" when `path` is a file). */
async function listFiles(path: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const info = await Deno.stat(path);
  if (info.isFile) {
    out.set("", info.size);
    return out;
  }
  const walk = async (rel: string) => {
    for await (const entry of Deno.readDir(join(path, rel))) {
      const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory) await walk(child);
      else out.set(child, (await Deno.stat(join(path, child))).size);
    }
  };
  await walk("");
  return out;
}

async function firstDifference(a: string, b: string): Promise<number | undefined> {
  using fa = await Deno.open(a);
  using fb = await Deno.open(b);
  const bufA = new Uint8Array(1 << 20);
  const bufB = new Uint8Array(1 << 20);
  for (let offset = 0;;) {
    const n = await readFull(fa, bufA);
    const m = await readFull(fb, bufB);
    const common = Math.min(n, m);
    for (let i = 0; i < common; i++) if (bufA[i] !== bufB[i]) return offset + i;
    if (n !== m) return offset + common;
    if (n === 0) return undefined;
    offset += n;
  }
}

async function readFull(file: Deno.FsFile, buf: Uint8Array): Promise<number> {
  let filled = 0;
  while (filled < buf.length) {
    const n = await file.read(buf.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return filled;
}
