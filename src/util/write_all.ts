/**
 * Writing a whole buffer to something whose `write` may take only part of it (a socket, a file):
 * the one loop every writer in the project shares.
 * @module
 */

/** Anything with Deno's `write` contract: resolves with how many bytes it took. */
export interface Writer {
  write(bytes: Uint8Array): Promise<number>;
}

/**
 * Writes all of `bytes` to `writer`, calling `write` until every byte is taken.
 * @example
 * ```ts
 * using file = await Deno.open("/tmp/out.bin", { write: true, create: true });
 * await writeAll(file, new Uint8Array(1 << 20));
 * ```
 */
export async function writeAll(writer: Writer, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await writer.write(bytes.subarray(at));
}
