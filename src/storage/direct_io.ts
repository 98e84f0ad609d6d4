/**
 * Direct writes (`O_DIRECT`): piece data goes from our buffer to the disk without passing
 * through the page cache.
 *
 * Why: a buffered write copies every byte into page-cache pages the kernel must first find.
 * On a virtual machine whose free memory is handed back to the host (virtio-balloon free page
 * reporting, as on our CI machines), each of those pages is a host fault, and the copy ran at
 * ~0.4–1.5 GB/s: a third of the client's CPU time while downloading. A direct write costs
 * ~0.2 s of CPU per GiB there whatever the state of memory, and a download does not push
 * everything else out of the cache.
 *
 * Deno has no flag for `O_DIRECT`, so the file is opened and written through libc by FFI
 * (`libc.ts`). Wherever that is not possible (not Linux, no permission, a
 * file system that refuses `O_DIRECT`, a write the device rejects) the caller gets `false`
 * and writes through the page cache as before. `BTTS_BUFFERED_IO=1` turns direct writes off.
 * @module
 */

import { cString, type Libc, loadLibc, O_CLOEXEC, O_DIRECT, O_WRONLY } from "./libc.ts";

/** Offsets, lengths and buffer addresses of direct writes are multiples of this. */
export const DIRECT_ALIGNMENT = 4096;

/** A bounce buffer's size: direct writes go out in chunks of at most this. */
const BOUNCE_BYTES = 1024 * 1024;

/**
 * Direct writes in flight at once. One at a time, a 256 KiB write took ~0.56 ms from call to
 * completion here (the device, the blocking-thread hop and the wake-up), which held a download
 * below ~450 MB/s; several overlap those waits.
 */
const MAX_IN_FLIGHT = 4;

/**
 * The part of a write at file `offset` of `length` bytes that can go direct: `head` bytes up
 * to the first aligned offset, then `body` bytes of whole aligned blocks. The rest (the head
 * and the `length - head - body` bytes of tail) go through the page cache.
 * @example
 * ```ts
 * alignedSpan(0, 262144); // { head: 0, body: 262144 }
 * alignedSpan(100, 10000); // { head: 3996, body: 4096 }
 * alignedSpan(100, 200); // { head: 200, body: 0 }
 * ```
 */
export function alignedSpan(offset: number, length: number): { head: number; body: number } {
  const head = Math.min(
    length,
    (DIRECT_ALIGNMENT - (offset % DIRECT_ALIGNMENT)) % DIRECT_ALIGNMENT,
  );
  const body = Math.floor((length - head) / DIRECT_ALIGNMENT) * DIRECT_ALIGNMENT;
  return { head, body };
}

/**
 * Opens files for direct writes and writes to them, a few at a time (each through one of a
 * few aligned bounce buffers). One per store.
 * @example
 * ```ts
 * const direct = DirectWriter.create();
 * const fd = direct?.open("/tmp/data.bin");
 * if (direct && fd !== undefined && await direct.write(fd, new Uint8Array(4096), 0)) {
 *   // written, bypassing the page cache
 * }
 * direct?.close(fd!);
 * ```
 */
export class DirectWriter {
  readonly #libc: Libc;
  readonly #flags: number;
  /** Bounce buffers not in use; more are made up to MAX_IN_FLIGHT. */
  readonly #free: Uint8Array[] = [];
  #made = 0;
  readonly #waiting: ((bounce: Uint8Array) => void)[] = [];

  private constructor(libc: Libc, flags: number) {
    this.#libc = libc;
    this.#flags = flags;
  }

  /** A writer, or undefined where direct writes are not available. */
  static create(): DirectWriter | undefined {
    const libc = loadLibc();
    const oDirect = O_DIRECT[Deno.build.arch];
    if (!libc || oDirect === undefined) return undefined;
    return new DirectWriter(libc, O_WRONLY | O_CLOEXEC | oDirect);
  }

  /** Opens an existing file for direct writes; undefined if its file system refuses. */
  open(path: string): number | undefined {
    const fd = this.#libc.open(cString(path), this.#flags, 0);
    return fd >= 0 ? fd : undefined;
  }

  /**
   * Writes `bytes` at `offset` of `fd`; both must be {@linkcode DIRECT_ALIGNMENT}-aligned
   * (see {@linkcode alignedSpan}). False if anything was refused: the caller then writes the
   * same bytes through the page cache, which also reports the error (say, a full disk).
   * Writes may run at the same time (to different bytes); `fd` must stay open until done.
   */
  async write(fd: number, bytes: Uint8Array, offset: number): Promise<boolean> {
    if (offset % DIRECT_ALIGNMENT !== 0 || bytes.length % DIRECT_ALIGNMENT !== 0) return false;
    for (let at = 0; at < bytes.length; at += BOUNCE_BYTES) {
      const chunk = bytes.subarray(at, at + BOUNCE_BYTES);
      const bounce = await this.#acquire();
      try {
        bounce.set(chunk);
        const written = Number(
          await this.#libc.pwrite(fd, bounce, BigInt(chunk.length), BigInt(offset + at)),
        );
        if (written !== chunk.length) return false;
      } finally {
        this.#release(bounce);
      }
    }
    return true;
  }

  /** Closes a file opened by {@linkcode DirectWriter.open}. */
  close(fd: number): void {
    this.#libc.close(fd);
  }

  #acquire(): Promise<Uint8Array> {
    const free = this.#free.pop();
    if (free) return Promise.resolve(free);
    if (this.#made < MAX_IN_FLIGHT) {
      this.#made++;
      return Promise.resolve(alignedBuffer(BOUNCE_BYTES));
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(bounce: Uint8Array): void {
    const next = this.#waiting.shift();
    if (next) next(bounce);
    else this.#free.push(bounce);
  }
}

/** A buffer of `size` bytes whose address is a multiple of {@linkcode DIRECT_ALIGNMENT}. */
function alignedBuffer(size: number): Uint8Array {
  // A large ArrayBuffer lives outside V8's heap and never moves, so its address holds.
  const whole = new Uint8Array(size + DIRECT_ALIGNMENT);
  const address = Deno.UnsafePointer.value(Deno.UnsafePointer.of(whole));
  const skew = Number(BigInt(address) % BigInt(DIRECT_ALIGNMENT));
  const start = (DIRECT_ALIGNMENT - skew) % DIRECT_ALIGNMENT;
  return whole.subarray(start, start + size);
}
