/**
 * A {@linkcode StoreWriter} over the files of a torrent in a download folder. Files are created
 * lazily (sparse, at their final size) when their first piece arrives; writes go one at a time
 * through a queue, so file positions are never shared between two operations (direct writes,
 * being positional, run beside it).
 *
 * It runs on the thread that talks to peers, and that costs it little: hashing (Web Crypto)
 * and direct writes (FFI, nonblocking) run on Deno's blocking-task threads, file reads and
 * buffered writes are async ops. A worker thread for it, as before, cost more than it saved:
 * a second isolate (~20 MiB of peak RSS) and a structured-clone message each way per piece
 * (~0.6 s of CPU per GiB downloaded).
 * @module
 */

import type { Metainfo } from "../metainfo/types.ts";
import { bytesEqual, sha1 } from "../util/bytes.ts";
import { writeAll } from "../util/write_all.ts";
import { CachedReader } from "./cached_read.ts";
import { alignedSpan, DirectWriter } from "./direct_io.ts";
import { FileLayout, type FileSegment } from "./file_layout.ts";
import { dirname, type OpenFile, OpenFiles } from "./open_files.ts";
import { type DiskStore, StoreError } from "./store_writer.ts";

/** Written piece buffers kept for {@linkcode FileStore.allocatePiece}. */
const MAX_SPARE = 32;
/** Handle number of the parts file. */
const PARTS = -1;

/**
 * Stores a torrent's pieces in `dir` (a multi-file torrent's files under `dir/<name>/`).
 * @example
 * ```ts
 * const store = new FileStore(metainfo, "/tmp/downloads");
 * await store.writePiece(0, data);
 * await store.close();
 * ```
 */
export class FileStore implements DiskStore {
  readonly layout: FileLayout;
  readonly #metainfo: Metainfo;
  readonly #paths: string[];
  readonly #files: OpenFiles;
  /** Writes that bypass the page cache, where the system allows them. */
  readonly #direct = DirectWriter.create();
  /** Reads straight from the page cache, where the system allows them. */
  readonly #cached = CachedReader.create();
  /** setSkipped calls moving bytes between files: page-cache reads wait in the queue meanwhile. */
  #moving = 0;
  /** Files the user skipped: their bytes that share a piece with a wanted file go to parts. */
  readonly #skipped = new Set<number>();
  readonly #partsPath: string;
  #queue: Promise<unknown> = Promise.resolve();
  #pending = 0;
  /** Buffers of pieces written, for the next pieces. */
  readonly #spare: Uint8Array[] = [];

  constructor(metainfo: Metainfo, dir: string) {
    this.#metainfo = metainfo;
    this.layout = new FileLayout(metainfo.files, metainfo.pieceLength);
    this.#paths = metainfo.files.map((f) => filePath(dir, f.path));
    this.#partsPath = filePath(dir, [`.${metainfo.infoHashHex}.parts`]);
    this.#files = new OpenFiles({
      pathOf: (handle) => this.#pathOf(handle),
      // The parts file stays sparse on its own: it only ever holds a few pieces.
      lengthOf: (handle) => handle === PARTS ? 0 : this.layout.files[handle].length,
      direct: this.#direct,
    });
  }

  /** Absolute-or-relative path of file `index` on disk. */
  path(index: number): string {
    return this.#paths[index];
  }

  get pendingBytes(): number {
    return this.#pending;
  }

  /**
   * A buffer for a piece: one a written piece left, if there is one of the size. A download
   * then allocates a few dozen buffers, not one a piece that the garbage collector frees late.
   */
  allocatePiece(size: number): Uint8Array {
    const spare = this.#spare.pop();
    return spare?.length === size ? spare : new Uint8Array(size);
  }

  /** Takes `data` over: once this settles, its buffer may be handed out again. */
  async writePiece(index: number, data: Uint8Array): Promise<boolean> {
    if (data.length !== this.layout.pieceSize(index)) return false;
    this.#pending += data.length;
    try {
      if (!(await this.#hashMatches(index, data))) return false;
      // Direct writes are positional and each on bytes of its own: they run beside the queue,
      // several at once, and the piece counts as written when they are done.
      const direct: Promise<void>[] = [];
      try {
        await this.#serial(() => this.#write(index, data, direct));
      } catch (error) {
        await Promise.allSettled(direct); // started before the failure: none may go unheard
        throw error;
      }
      await Promise.all(direct);
      return true;
    } finally {
      this.#pending -= data.length;
      this.#giveBack(data);
    }
  }

  #giveBack(data: Uint8Array): void {
    if (data.length === this.layout.pieceLength && this.#spare.length < MAX_SPARE) {
      this.#spare.push(data);
    }
  }

  /**
   * Skips a file (it is not created; bytes of it in pieces shared with wanted files go to a
   * hidden parts file) or takes it back (those bytes move from the parts file into it).
   */
  async setSkipped(fileIndex: number, skipped: boolean): Promise<void> {
    this.#moving++;
    try {
      await this.#setSkipped(fileIndex, skipped);
    } finally {
      this.#moving--;
    }
  }

  #setSkipped(fileIndex: number, skipped: boolean): Promise<void> {
    return this.#serial(async () => {
      if (skipped === this.#skipped.has(fileIndex)) return;
      if (skipped) return void this.#skipped.add(fileIndex);
      // Only the file's first and last pieces can have been fetched while it was skipped.
      const { first, last } = this.layout.filePieces(fileIndex);
      const moved: { segments: FileSegment[]; data: Uint8Array }[] = [];
      for (const index of new Set([first, last])) {
        if (index > last) continue;
        const size = this.layout.pieceSize(index);
        const segments = this.layout.segments(index, 0, size).filter((g) =>
          g.fileIndex === fileIndex
        );
        const data = new Uint8Array(size);
        try {
          await this.#readSegments(segments, data);
          moved.push({ segments, data });
        } catch { /* nothing of it in the parts file */ }
      }
      this.#skipped.delete(fileIndex);
      for (const { segments, data } of moved) await this.#writeSegments(segments, data);
    });
  }

  isSkipped(fileIndex: number): boolean {
    return this.#skipped.has(fileIndex);
  }

  createEmptyFiles(): Promise<void> {
    return this.#serial(async () => {
      for (const [i, file] of this.layout.files.entries()) {
        if (file.length > 0 || file.pad || this.#skipped.has(i)) continue;
        try {
          await Deno.mkdir(dirname(this.#paths[i]), { recursive: true });
          await Deno.writeFile(this.#paths[i], new Uint8Array(), { append: true });
        } catch (error) {
          throw new StoreError(`creating ${this.#paths[i]}: ${messageOf(error)}`);
        }
      }
    });
  }

  read(index: number, begin: number, length: number, into?: Uint8Array): Promise<Uint8Array> {
    if (into && into.length !== length) {
      throw new RangeError(`read of ${length} bytes into a buffer of ${into.length}`);
    }
    const out = into ?? new Uint8Array(length);
    const segments = this.layout.segments(index, begin, length);
    if (this.#readCached(segments, out)) return Promise.resolve(out);
    return this.#serial(() => this.#readSegments(segments, out)).then(() => out);
  }

  async checkPiece(index: number): Promise<boolean> {
    const size = this.layout.pieceSize(index);
    // A recheck reads every piece once: recycled buffers spare the GC a gigabyte of arrays.
    const data = this.allocatePiece(size);
    try {
      await this.read(index, 0, size, data);
      return await this.#hashMatches(index, data);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof RangeError) return false;
      throw error;
    } finally {
      this.#giveBack(data);
    }
  }

  /**
   * Makes every completed write durable. It runs beside the write queue, not in it: fdatasync of
   * a file being written syncs a superset of what was written before, and holding the queue for
   * the seconds a sync of a large file can take would stall the download.
   */
  async flush(): Promise<void> {
    await Promise.all(
      this.#files.writable().map(({ file }) =>
        file.syncData().catch(() => {
          // Closed meanwhile by the open-files limit, which syncs a file before closing it.
        })
      ),
    );
  }

  /** Paths of all files, in torrent order. */
  get paths(): readonly string[] {
    return this.#paths;
  }

  async close(): Promise<void> {
    await this.#serial(async () => {
      this.#cached?.close();
      await this.#files.closeAll();
    });
  }

  async #hashMatches(index: number, data: Uint8Array): Promise<boolean> {
    const expected = this.#metainfo.pieceHashes.subarray(index * 20, index * 20 + 20);
    return bytesEqual(await sha1(data), expected);
  }

  /** Runs operations one after another, whatever the outcome of the previous one. */
  #serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(op, op);
    this.#queue = run.catch(() => {});
    return run;
  }

  #write(index: number, data: Uint8Array, direct: Promise<void>[]): Promise<void> {
    return this.#writeSegments(this.layout.segments(index, 0, data.length), data, direct);
  }

  /**
   * Writes segments (in the queue). Whole aligned blocks go direct: their writes are added to
   * `direct` to be awaited outside the queue, or awaited here when `direct` is not given.
   */
  async #writeSegments(
    segments: readonly FileSegment[],
    data: Uint8Array,
    direct?: Promise<void>[],
  ): Promise<void> {
    for (const seg of segments) {
      if (this.layout.files[seg.fileIndex].pad) continue;
      const { handle, offset } = this.#place(seg);
      const bytes = data.subarray(seg.rangeOffset, seg.rangeOffset + seg.length);
      try {
        const open = await this.#files.open(handle, true);
        const file = open.file;
        const { head, body } = alignedSpan(offset, bytes.length);
        if (body > 0 && open.directFd !== undefined) {
          await writeAt(file, offset, bytes.subarray(0, head));
          await writeAt(file, offset + head + body, bytes.subarray(head + body));
          const aligned = bytes.subarray(head, head + body);
          const job = this.#writeDirect(open, handle, offset + head, aligned, !direct);
          if (direct) direct.push(job);
          else await job;
        } else {
          await writeAt(file, offset, bytes);
        }
      } catch (error) {
        throw new StoreError(`writing ${this.#pathOf(handle)}: ${messageOf(error)}`);
      }
    }
  }

  /**
   * A direct write; if refused, the same bytes through the page cache, which reports any error.
   * `inQueue`: called from inside the queue, so the fallback must not wait for it.
   */
  async #writeDirect(
    open: OpenFile,
    handle: number,
    offset: number,
    bytes: Uint8Array,
    inQueue: boolean,
  ): Promise<void> {
    const syscall = this.#direct!.write(open.directFd!, bytes, offset);
    open.inflight.add(syscall); // the descriptor stays open until it is done
    const written = await syscall.finally(() => open.inflight.delete(syscall));
    if (written) return;
    const fallback = async () => {
      try {
        await writeAt((await this.#files.open(handle, true)).file, offset, bytes);
      } catch (error) {
        throw new StoreError(`writing ${this.#pathOf(handle)}: ${messageOf(error)}`);
      }
    };
    await (inQueue ? fallback() : this.#serial(fallback));
  }

  /**
   * The fast path of a read: every segment from the page cache, at once (`cached_read.ts`).
   * It skips the queue, which is safe because only pieces already written are read, except
   * while setSkipped moves bytes from the parts file into a file.
   */
  #readCached(segments: readonly FileSegment[], out: Uint8Array): boolean {
    if (!this.#cached || this.#moving > 0) return false;
    for (const seg of segments) {
      const into = out.subarray(seg.rangeOffset, seg.rangeOffset + seg.length);
      if (this.layout.files[seg.fileIndex].pad) {
        into.fill(0);
        continue;
      }
      const { handle, offset } = this.#place(seg);
      if (!this.#cached.read(this.#pathOf(handle), into, offset)) return false;
    }
    return true;
  }

  /** Reads segments into `out` at their range offsets; padding reads as zeros. */
  async #readSegments(segments: readonly FileSegment[], out: Uint8Array): Promise<void> {
    for (const seg of segments) {
      if (this.layout.files[seg.fileIndex].pad) {
        // `out` may be a reused buffer: it holds old bytes, not zeros.
        out.fill(0, seg.rangeOffset, seg.rangeOffset + seg.length);
        continue;
      }
      const { handle, offset } = this.#place(seg);
      const { file } = await this.#files.open(handle, false);
      await file.seek(offset, Deno.SeekMode.Start);
      await readFull(file, out.subarray(seg.rangeOffset, seg.rangeOffset + seg.length));
    }
  }

  /** Where a segment's bytes live: its file, or (skipped file) the parts file at its torrent offset. */
  #place(seg: FileSegment): { handle: number; offset: number } {
    if (!this.#skipped.has(seg.fileIndex)) return { handle: seg.fileIndex, offset: seg.fileOffset };
    return { handle: PARTS, offset: this.layout.files[seg.fileIndex].offset + seg.fileOffset };
  }

  #pathOf(handle: number): string {
    return handle === PARTS ? this.#partsPath : this.#paths[handle];
  }
}

/**
 * The on-disk path of a file; metainfo paths already start with the torrent's folder name.
 * @example
 * ```ts
 * filePath("downloads", ["album", "cover.jpg"]); // "downloads/album/cover.jpg"
 * ```
 */
export function filePath(dir: string, components: readonly string[]): string {
  for (const c of components) {
    // Metainfo sanitizes paths; this is the last line of defence before touching the disk.
    if (
      c === "" || c === "." || c === ".." || c.includes("/") || c.includes("\\") || c.includes("\0")
    ) {
      throw new StoreError(`refusing unsafe path component ${JSON.stringify(c)}`);
    }
  }
  return [dir.replace(/\/+$/, "") || "/", ...components].join("/");
}

async function writeAt(file: Deno.FsFile, offset: number, bytes: Uint8Array): Promise<void> {
  if (bytes.length === 0) return;
  await file.seek(offset, Deno.SeekMode.Start);
  await writeAll(file, bytes);
}

async function readFull(file: Deno.FsFile, into: Uint8Array): Promise<void> {
  let at = 0;
  while (at < into.length) {
    const n = await file.read(into.subarray(at));
    if (n === null) throw new RangeError("file is shorter than expected");
    at += n;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
