/**
 * A player's seek, timed: one HTTP Range request from a byte offset to the end of the file,
 * timed to its response headers and to the first byte of its body, which is checked against
 * the file it should be. The body is then dropped, as a player would after a further seek.
 * @module
 */

/** What one Range request took, in milliseconds from sending it. */
export interface RangeFirstByte {
  readonly headersMs: number;
  readonly firstByteMs: number;
  /** The first chunk of the body (at least one byte). */
  readonly firstChunk: Uint8Array;
}

/** A Range request that went wrong: a status other than 206, no body, or a timeout. */
export class RangeRequestError extends Error {
  override name = "RangeRequestError";
}

/**
 * Requests `bytes=<offset>-` of `url` and times it; rejects after `timeoutMs`.
 * @example
 * ```ts
 * const t = await timeRangeFirstByte("http://127.0.0.1:8888/0/movie.mkv", 1_000_000, 60_000);
 * console.log(t.firstByteMs);
 * ```
 */
export async function timeRangeFirstByte(
  url: string,
  offset: number,
  timeoutMs: number,
): Promise<RangeFirstByte> {
  const signal = AbortSignal.timeout(timeoutMs);
  const start = performance.now();
  try {
    const response = await fetch(url, { headers: { range: `bytes=${offset}-` }, signal });
    const headersMs = performance.now() - start;
    if (response.status !== 206 || !response.body) {
      await response.body?.cancel();
      throw new RangeRequestError(`${url} answered ${response.status} to a Range request`);
    }
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) throw new RangeRequestError(`${url}: the body ended before its first byte`);
        if (value.length > 0) {
          return { headersMs, firstByteMs: performance.now() - start, firstChunk: value };
        }
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
  } catch (error) {
    if (signal.aborted) {
      throw new RangeRequestError(`no first byte from ${url} within ${timeoutMs} ms`);
    }
    throw error;
  }
}

/**
 * Whether `chunk` is what the file at `path` holds at `offset`.
 * @example
 * ```ts
 * await matchesFile("/etc/hostname", 0, new TextEncoder().encode("x")); // true or false
 * ```
 */
export async function matchesFile(
  path: string,
  offset: number,
  chunk: Uint8Array,
): Promise<boolean> {
  using file = await Deno.open(path);
  await file.seek(offset, Deno.SeekMode.Start);
  const expected = new Uint8Array(chunk.length);
  let filled = 0;
  while (filled < expected.length) {
    const n = await file.read(expected.subarray(filled));
    if (n === null) return false;
    filled += n;
  }
  return expected.every((byte, i) => byte === chunk[i]);
}
