/**
 * Makes a v1 .torrent from a file or folder on disk, reading it as a stream.
 * @module
 */

import { type BencodeInput, encodeBencode } from "../bencode/encode_bencode.ts";
import { concatBytes, sha1 } from "../util/bytes.ts";
import { MetainfoError } from "./metainfo_error.ts";

/** What to put in the torrent. */
export interface CreateTorrentOptions {
  /** A file, or a folder whose files all go in (see {@link createTorrent}). */
  readonly path: string;
  /** Tiers of announce URLs (BEP 12); a flat list puts each URL in its own tier, tried in order. */
  readonly trackers?: readonly (readonly string[])[] | readonly string[];
  /** A power of two from 16 KiB to 256 MiB; chosen from the total size when not given. */
  readonly pieceLength?: number;
  readonly comment?: string;
  /** BEP 27: peers only from the trackers, no DHT or peer exchange. */
  readonly private?: boolean;
  /** Defaults to "bittorrent-ts". */
  readonly createdBy?: string;
  /** Seconds since the epoch; defaults to now. `null` leaves the date out, for identical output. */
  readonly creationDate?: number | null;
  /** Called after each piece is hashed with the bytes hashed so far and the total. */
  readonly onProgress?: (hashedBytes: number, totalBytes: number) => void;
}

const MIN_PIECE = 16 * 1024;
const MAX_AUTO_PIECE = 16 * 1024 * 1024;
const MAX_PIECE = 256 * 1024 * 1024;
/** Automatic piece length aims for at most this many pieces (and so at least half of it). */
const TARGET_PIECES = 2000;
/** Pieces hashed concurrently while the next ones are read; bounds memory to a few pieces. */
const HASHES_IN_FLIGHT = 4;

interface SourceFile {
  /** Path elements below the torrent's folder (empty for a single-file torrent). */
  readonly path: readonly string[];
  readonly diskPath: string;
  readonly length: number;
}

/**
 * The piece length for a total size: the power of two giving at most 2000 pieces (so 1000 to
 * 2000 of them), kept within 16 KiB..16 MiB.
 * @example
 * ```ts
 * autoPieceLength(4 * 1024 ** 3); // 4 MiB: 1024 pieces
 * ```
 */
export function autoPieceLength(totalLength: number): number {
  let pieceLength = MIN_PIECE;
  while (pieceLength < MAX_AUTO_PIECE && totalLength / pieceLength > TARGET_PIECES) {
    pieceLength *= 2;
  }
  return pieceLength;
}

const utf8 = new TextEncoder();

/** mktorrent's order: the "/"-joined relative paths compared byte by byte. */
function byPath(a: SourceFile, b: SourceFile): number {
  const x = utf8.encode(a.path.join("/"));
  const y = utf8.encode(b.path.join("/"));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

async function listFolder(dir: string, prefix: readonly string[], out: SourceFile[]) {
  for await (const entry of Deno.readDir(dir)) {
    const diskPath = `${dir}/${entry.name}`;
    const path = [...prefix, entry.name];
    // Symlinks are not followed: a torrent must not silently pull in data from elsewhere.
    if (entry.isDirectory) await listFolder(diskPath, path, out);
    else if (entry.isFile) out.push({ path, diskPath, length: (await Deno.stat(diskPath)).size });
  }
}

function basename(path: string): string {
  return path.replace(/[/\\]+$/, "").split(/[/\\]/).pop() ?? "";
}

async function collect(
  path: string,
): Promise<{ name: string; files: SourceFile[]; folder: boolean }> {
  let stat: Deno.FileInfo;
  try {
    stat = await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new MetainfoError(`no such file or folder: ${path}`);
    }
    throw new MetainfoError(`cannot read ${path}: ${(e as Error).message}`);
  }
  const name = basename(await Deno.realPath(path));
  if (stat.isFile) {
    return { name, files: [{ path: [], diskPath: path, length: stat.size }], folder: false };
  }
  if (!stat.isDirectory) throw new MetainfoError(`not a file or folder: ${path}`);
  const files: SourceFile[] = [];
  await listFolder(path, [], files);
  return { name, files: files.sort(byPath), folder: true };
}

/** Reads exactly `file.length` bytes into `sink`, in pieces-sized chunks. */
async function readFile(
  file: SourceFile,
  sink: (chunk: Uint8Array) => Promise<void>,
  buffer: Uint8Array,
) {
  using handle = await Deno.open(file.diskPath, { read: true });
  let left = file.length;
  while (left > 0) {
    const n = await handle.read(buffer.subarray(0, Math.min(left, buffer.length)));
    if (n === null) throw new MetainfoError(`${file.diskPath} shrank while being read`);
    await sink(buffer.subarray(0, n));
    left -= n;
  }
  if ((await handle.read(new Uint8Array(1))) !== null) {
    throw new MetainfoError(`${file.diskPath} grew while being read`);
  }
}

async function hashPieces(
  files: readonly SourceFile[],
  pieceLength: number,
  total: number,
  onProgress?: (hashedBytes: number, totalBytes: number) => void,
): Promise<Uint8Array> {
  const digests: Promise<Uint8Array>[] = [];
  const piece = new Uint8Array(pieceLength);
  let fill = 0;
  let hashed = 0;
  const flush = async () => {
    const length = fill;
    digests.push(
      sha1(piece.slice(0, fill)).then((d) => {
        hashed += length;
        onProgress?.(hashed, total);
        return d;
      }),
    );
    fill = 0;
    if (digests.length > HASHES_IN_FLIGHT) await digests[digests.length - 1 - HASHES_IN_FLIGHT];
  };
  const sink = async (chunk: Uint8Array) => {
    for (let at = 0; at < chunk.length;) {
      const n = Math.min(chunk.length - at, pieceLength - fill);
      piece.set(chunk.subarray(at, at + n), fill);
      fill += n;
      at += n;
      if (fill === pieceLength) await flush();
    }
  };
  const readBuffer = new Uint8Array(Math.min(pieceLength, 1 << 20));
  for (const file of files) await readFile(file, sink, readBuffer);
  if (fill > 0) await flush();
  return concatBytes(await Promise.all(digests));
}

function tiersOf(trackers: CreateTorrentOptions["trackers"] = []): string[][] {
  const tiers = trackers.map((t) => (typeof t === "string" ? [t] : [...t]).map((u) => u.trim()));
  for (const url of tiers.flat()) {
    if (!URL.canParse(url)) throw new MetainfoError(`not a tracker URL: ${JSON.stringify(url)}`);
  }
  return tiers.filter((tier) => tier.length > 0);
}

/**
 * Makes a .torrent (bencoded bytes) for a file or a folder. A folder's regular files are all
 * included, hidden ones too (like mktorrent; a torrent reproduces the folder), sorted by their
 * "/"-joined path in byte order (mktorrent's order, so equal inputs give equal info-hashes);
 * symlinks are skipped. Files are streamed: memory stays at a few pieces whatever the size.
 * Throws {@link MetainfoError} for a missing path, an empty content, a bad piece length or
 * tracker URL, or a file that changes size while being read.
 * @example
 * ```ts
 * const bytes = await createTorrent({ path: "./album", trackers: ["udp://tracker.example:1337"] });
 * await Deno.writeFile("album.torrent", bytes);
 * ```
 */
export async function createTorrent(options: CreateTorrentOptions): Promise<Uint8Array> {
  const { name, files, folder } = await collect(options.path);
  const total = files.reduce((sum, f) => sum + f.length, 0);
  if (total === 0) throw new MetainfoError(`nothing to share: ${options.path} holds no data`);
  const pieceLength = options.pieceLength ?? autoPieceLength(total);
  const powerOfTwo = Number.isInteger(Math.log2(pieceLength));
  if (!powerOfTwo || pieceLength < MIN_PIECE || pieceLength > MAX_PIECE) {
    throw new MetainfoError(
      `piece length must be a power of two from 16 KiB to 256 MiB, got ${pieceLength}`,
    );
  }
  const tiers = tiersOf(options.trackers);
  const pieces = await hashPieces(files, pieceLength, total, options.onProgress);
  const info: BencodeInput = {
    name,
    "piece length": pieceLength,
    pieces,
    private: options.private ? 1 : undefined,
    ...(folder
      ? { files: files.map((f) => ({ length: f.length, path: [...f.path] })) }
      : { length: total }),
  };
  const creationDate = options.creationDate === undefined
    ? Math.floor(Date.now() / 1000)
    : options.creationDate;
  return encodeBencode({
    announce: tiers[0]?.[0],
    "announce-list": tiers.flat().length > 1 ? tiers : undefined,
    comment: options.comment,
    "created by": options.createdBy ?? "bittorrent-ts",
    "creation date": creationDate ?? undefined,
    info,
  });
}
