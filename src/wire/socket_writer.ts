/**
 * A socket's write side as a WritableStream that hands each chunk back to a
 * {@linkcode BufferPool} once the socket has taken all of it, so the encoder's next batch reuses
 * the buffer instead of allocating one (see `buffer_pool.ts` for why that matters). The
 * counterpart of `socket_reader.ts`.
 * @module
 */

import type { BufferPool } from "../util/buffer_pool.ts";
import { writeAll } from "../util/write_all.ts";
import type { InPlaceCipher } from "./socket_reader.ts";

/**
 * Writes chunks to `conn` in full, one at a time, giving each to `pool` when written. Closing or
 * aborting the stream closes the socket, as `conn.writable` does. `encrypt` (an RC4 stream of
 * an MSE connection) is applied to each chunk in place: the chunk is ours until it is given back.
 * @example
 * ```ts
 * const buffers = new BufferPool();
 * const encoder = new MessageEncoderStream({ buffers });
 * encoder.readable.pipeTo(socketWriter(conn, buffers));
 * ```
 */
export function socketWriter(
  conn: Deno.Conn,
  pool: BufferPool,
  encrypt?: InPlaceCipher,
): WritableStream<Uint8Array> {
  const close = () => {
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  return new WritableStream<Uint8Array>({
    async write(chunk) {
      if (encrypt) encrypt.apply(chunk);
      await writeAll(conn, chunk);
      pool.give(chunk);
    },
    close,
    abort: close,
  });
}
