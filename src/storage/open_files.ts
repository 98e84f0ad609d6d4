/**
 * The files a store has open, at most a fixed number (a torrent may have thousands), closed
 * least recently used first. A file opened for writing gets its final (sparse) size and, where
 * the system allows, a second descriptor for direct writes (`direct_io.ts`).
 * @module
 */

import type { DirectWriter } from "./direct_io.ts";

/** Files open at once, at most. */
const MAX_OPEN_FILES = 64;

/** A file the store has open; a writable one may also have a descriptor for direct writes. */
export interface OpenFile {
  readonly file: Deno.FsFile;
  readonly writable: boolean;
  readonly directFd?: number;
  /** Direct writes to `directFd` not yet done: the descriptor stays open until they are. */
  readonly inflight: Set<Promise<boolean>>;
}

/** Where a store's files are and how long they must be. */
export interface OpenFilesOptions {
  /** The path of a file by handle number. */
  readonly pathOf: (handle: number) => string;
  /** The size a file is given when first opened for writing. */
  readonly lengthOf: (handle: number) => number;
  readonly direct?: DirectWriter;
  readonly maxOpen?: number;
}

/**
 * An LRU of open files keyed by handle number. Not safe for concurrent calls: a store calls it
 * from its one queue of operations.
 * @example
 * ```ts
 * const files = new OpenFiles({ pathOf: (i) => paths[i], lengthOf: (i) => lengths[i] });
 * const { file } = await files.open(0, true);
 * await file.write(bytes);
 * await files.closeAll();
 * ```
 */
export class OpenFiles {
  readonly #options: OpenFilesOptions;
  readonly #open = new Map<number, OpenFile>();
  /** The handle last put at the end of the LRU order (a refresh of it would change nothing). */
  #newest: number | undefined;

  constructor(options: OpenFilesOptions) {
    this.#options = options;
  }

  /** Files open for writing now. */
  writable(): OpenFile[] {
    return [...this.#open.values()].filter((open) => open.writable);
  }

  /** File `handle`, opened (and for writing, created and sized) if it is not open yet. */
  async open(handle: number, forWrite: boolean): Promise<OpenFile> {
    const open = this.#open.get(handle);
    // The file of the last operation is used again, most of the time: it is already newest.
    if (open && handle === this.#newest && (open.writable || !forWrite)) return open;
    if (open) {
      this.#open.delete(handle);
      if (open.writable || !forWrite) {
        this.#open.set(handle, open); // refreshes its place in the LRU order
        this.#newest = handle;
        return open;
      }
      await this.#close(open); // opened for reading, now needed for writing
    }
    if (this.#open.size >= (this.#options.maxOpen ?? MAX_OPEN_FILES)) {
      const [oldest, open] = this.#open.entries().next().value!;
      this.#open.delete(oldest);
      // flush() can no longer reach it once closed: sync it, its direct writes done first.
      await Promise.allSettled(open.inflight);
      if (open.writable) await open.file.syncData();
      await this.#close(open);
    }
    const opened = forWrite ? await this.#openForWrite(handle) : {
      file: await Deno.open(this.#options.pathOf(handle), { read: true, write: false }),
      writable: false,
      inflight: new Set<Promise<boolean>>(),
    };
    this.#open.set(handle, opened);
    this.#newest = handle;
    return opened;
  }

  /** Closes every file, once its direct writes are done. */
  async closeAll(): Promise<void> {
    const open = [...this.#open.values()];
    this.#open.clear();
    this.#newest = undefined;
    await Promise.all(open.map((o) => this.#close(o)));
  }

  async #openForWrite(handle: number): Promise<OpenFile> {
    const path = this.#options.pathOf(handle);
    await Deno.mkdir(dirname(path), { recursive: true });
    const file = await Deno.open(path, { read: true, write: true, create: true });
    const { size } = await file.stat();
    // Sparse preallocation: a file has its final size from the first write on.
    const length = this.#options.lengthOf(handle);
    if (size < length) await file.truncate(length);
    const directFd = this.#options.direct?.open(path);
    return { file, writable: true, directFd, inflight: new Set() };
  }

  async #close({ file, directFd, inflight }: OpenFile): Promise<void> {
    file.close();
    if (directFd === undefined) return;
    await Promise.allSettled(inflight);
    this.#options.direct?.close(directFd);
  }
}

/**
 * The folder part of a path (`/` for a file at the root).
 * @example
 * ```ts
 * dirname("downloads/album/a.flac"); // "downloads/album"
 * ```
 */
export function dirname(path: string): string {
  const at = path.lastIndexOf("/");
  return at <= 0 ? "/" : path.slice(0, at);
}
