/**
 * A socket's bytes as a ReadableStream that reads into a small ring of reused buffers instead of
 * a fresh 64 KiB array a read (what `conn.readable` does): at hundreds of MB/s those arrays are
 * most of the process's garbage, and the reason its memory would grow with the download.
 *
 * Reuse is safe because of how the stream is consumed: the chunks go through
 * {@linkcode MessageDecoderStream}, whose readable side has a high-water mark of 0, so the next
 * chunk is only transformed once every frame of the previous one was read; and each reader of
 * frames handles a frame (copying what it keeps) before it reads the next. At most three chunks
 * are alive at once (one being handled, one queued, one being read), so a ring of four suffices.
 *
 * An RC4 connection (MSE) decrypts each read in place, here rather than in a stream stage of its
 * own: an extra stage would queue another chunk and break the count above.
 * @module
 */

/** Buffers in the ring (see above for why four). */
const RING = 4;
/** Bytes a read: fewer syscalls than 64 KiB, and a 16 KiB block rarely straddles two reads. */
const CHUNK = 256 * 1024;

/** Transforms bytes in place: the decryption of an RC4 stream. */
export interface InPlaceCipher {
  apply(bytes: Uint8Array): void;
}

/** Options for {@linkcode socketReader}. */
export interface SocketReaderOptions {
  /** Bytes already read (and decrypted) during a handshake: the stream starts with them. */
  readonly prefix?: Uint8Array;
  /** Applied to every read, in place. */
  readonly decrypt?: InPlaceCipher;
}

/**
 * Reads `conn` into reused buffers. Only for consumers that are done with a chunk before they
 * pull the chunk after next (a {@linkcode MessageDecoderStream} is).
 * @example
 * ```ts
 * const frames = socketReader(conn).pipeThrough(new MessageDecoderStream());
 * ```
 */
export function socketReader(
  conn: Deno.Conn,
  options: SocketReaderOptions = {},
): ReadableStream<Uint8Array> {
  const ring = Array.from({ length: RING }, () => new Uint8Array(CHUNK));
  let next = 0;
  let prefix = options.prefix?.length ? options.prefix : undefined;
  const decrypt = options.decrypt;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (prefix) {
        controller.enqueue(prefix);
        prefix = undefined;
        return;
      }
      const buffer = ring[next];
      next = (next + 1) % RING;
      let n: number | null;
      try {
        n = await conn.read(buffer);
      } catch (error) {
        // A reset or a close from our side: the stream ends with the reason.
        controller.error(error);
        return;
      }
      if (n === null) return controller.close();
      const chunk = buffer.subarray(0, n);
      if (decrypt) decrypt.apply(chunk);
      controller.enqueue(chunk);
    },
    cancel() {
      try {
        conn.close();
      } catch { /* already closed */ }
    },
  }, { highWaterMark: 0 });
}
