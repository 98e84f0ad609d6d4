/**
 * The few libc calls the store makes through FFI where Deno has no API: `O_DIRECT` writes
 * (`direct_io.ts`) and reads that must not wait for the disk (`cached_read.ts`). Loaded once,
 * and only on Linux with FFI allowed (`--allow-ffi`, part of `-A`); elsewhere, or with
 * `BTTS_BUFFERED_IO=1`, there is none and the store uses Deno's file API alone.
 * @module
 */

const SYMBOLS = {
  open: { parameters: ["buffer", "i32", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  /** On a blocking-task thread: a direct write waits for the device. */
  pwrite: { parameters: ["i32", "buffer", "usize", "i64"], result: "isize", nonblocking: true },
  /** On the calling thread: only ever used with `RWF_NOWAIT`, so it never waits for the disk. */
  preadv2: { parameters: ["i32", "buffer", "i32", "i64", "i32"], result: "isize" },
} as const;

/** libc's functions, as FFI symbols. */
export type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

/** `open(2)` flags; `O_DIRECT` differs between architectures (asm-generic vs x86). */
export const O_RDONLY = 0;
export const O_WRONLY = 0o1;
export const O_CLOEXEC = 0o2000000;
export const O_DIRECT: Partial<Record<typeof Deno.build.arch, number>> = {
  x86_64: 0o40000,
  aarch64: 0o200000,
};

let libc: Libc | null | undefined;

/**
 * libc's symbols, loaded on first use; null where that is not possible or turned off.
 * @example
 * ```ts
 * const fd = loadLibc()?.open(new TextEncoder().encode("/tmp/x\0"), O_RDONLY | O_CLOEXEC, 0);
 * ```
 */
export function loadLibc(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  try {
    if (Deno.build.os !== "linux" || Deno.env.get("BTTS_BUFFERED_IO") === "1") return libc;
    libc = Deno.dlopen("libc.so.6", SYMBOLS).symbols;
  } catch {
    // No FFI permission, or no glibc: Deno's file API only.
  }
  return libc;
}

/**
 * `path` as the NUL-terminated bytes libc expects.
 * @example
 * ```ts
 * cString("a"); // Uint8Array [97, 0]
 * ```
 */
export function cString(path: string): Uint8Array {
  return new TextEncoder().encode(`${path}\0`);
}
