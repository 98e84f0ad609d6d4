/**
 * The guard between the stream server and ffmpeg: ffmpeg may only ever read our own loopback
 * stream server, never another host (it would happily fetch anything it is given).
 * @module
 */

import { TranscodeError } from "./transcode_error.ts";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]"]);

/**
 * Checks that `raw` is a plain `http://127.0.0.1[:port]/…` or `http://[::1][:port]/…` URL and
 * returns it normalized (as `URL.href`); anything else throws a {@linkcode TranscodeError} (500:
 * it is a wiring bug, not a client error).
 * @example
 * ```ts
 * loopbackSourceUrl("http://127.0.0.1:8080/3/movie.mkv"); // "http://127.0.0.1:8080/3/movie.mkv"
 * ```
 */
export function loopbackSourceUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TranscodeError(500, `source URL is not a URL: ${JSON.stringify(raw)}`);
  }
  if (
    url.protocol !== "http:" || !LOOPBACK_HOSTS.has(url.hostname) || url.username !== "" ||
    url.password !== ""
  ) {
    throw new TranscodeError(
      500,
      `refusing source URL ${JSON.stringify(raw)}: only http://127.0.0.1 or http://[::1] is read`,
    );
  }
  return url.href;
}
