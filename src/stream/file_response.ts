/**
 * The HTTP answer for one file: status and headers from the Range header, and a body that is the
 * source's byte stream held to exactly the promised length. Cancelling the body (the player
 * disconnected, typically to seek elsewhere) cancels the source stream, so the engine drops that
 * priority at once.
 * @module
 */

import { contentTypeFor } from "./media_types.ts";
import { contentRange, resolveRange, unsatisfiedRange } from "./range_header.ts";
import type { StreamFile, StreamSource } from "./stream_source.ts";
import { StreamServerError } from "./stream_server_error.ts";

/** What the server learns about a body while it is sent. */
export interface BodyHooks {
  /** The first byte of a 206 body went out (the moment a seek is over for the player). */
  onFirstRangeByte(): void;
  /** The body opened; `abort` ends it (server closing). Returns the function to call when it ends. */
  opened(abort: (reason: Error) => void): () => void;
}

/**
 * `Content-Disposition: inline` with the file's name twice: an ASCII fallback and the exact UTF-8
 * name (RFC 6266, RFC 8187).
 * @example
 * ```ts
 * contentDisposition("dir/Amélie (2001).mkv");
 * // `inline; filename="Am_lie (2001).mkv"; filename*=UTF-8''Am%C3%A9lie%20%282001%29.mkv`
 * ```
 */
export function contentDisposition(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * The response to a GET or HEAD for `file` of `source`. HEAD answers the same headers with no
 * body and never opens a source stream. An `If-Range` header makes the Range be ignored: we send
 * no validators, so none can match (RFC 9110 §13.1.5).
 * @example
 * ```ts
 * const response = fileResponse(request, source, source.files[0], hooks);
 * ```
 */
export function fileResponse(
  request: Request,
  source: StreamSource,
  file: StreamFile,
  hooks: BodyHooks,
): Response {
  const headers = new Headers({
    "accept-ranges": "bytes",
    "content-type": contentTypeFor(file.path),
    "content-disposition": contentDisposition(file.path),
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
  });
  const rangeHeader = request.headers.has("if-range") ? null : request.headers.get("range");
  const decision = resolveRange(rangeHeader, file.length);
  if (decision.kind === "unsatisfiable") {
    headers.set("content-range", unsatisfiedRange(file.length));
    headers.set("content-length", "0");
    return new Response(null, { status: 416, headers });
  }
  const [start, end] = decision.kind === "partial"
    ? [decision.start, decision.end]
    : [0, file.length];
  const status = decision.kind === "partial" ? 206 : 200;
  if (decision.kind === "partial") {
    headers.set("content-range", contentRange(file.length, start, end));
  }
  headers.set("content-length", String(end - start));
  if (request.method === "HEAD" || end === start) return new Response(null, { status, headers });
  const body = boundedBody(
    source.read(file.index, start, end),
    end - start,
    decision.kind === "partial" ? hooks.onFirstRangeByte : () => {},
    hooks.opened,
  );
  return new Response(body, { status, headers });
}

/**
 * Passes the source's chunks through, cut to exactly `length` bytes: a source that sends more is
 * cancelled once enough has arrived, one that ends early fails the body (the connection is then
 * cut, so the player never mistakes a short body for the file).
 */
function boundedBody(
  source: ReadableStream<Uint8Array>,
  length: number,
  onFirstByte: () => void,
  opened: BodyHooks["opened"],
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let remaining = length;
  let first = true;
  let closed: (() => void) | undefined;
  const finish = () => {
    closed?.();
    closed = undefined;
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      closed = opened((reason) => {
        finish();
        controller.error(reason);
        reader.cancel(reason).catch(() => {});
      });
    },
    async pull(controller) {
      try {
        while (true) {
          const { done, value } = await reader.read();
          if (done) {
            throw new StreamServerError(`source ended ${remaining} bytes early`);
          }
          if (value.length === 0) continue;
          const chunk = value.length > remaining ? value.subarray(0, remaining) : value;
          remaining -= chunk.length;
          if (first) {
            first = false;
            onFirstByte();
          }
          controller.enqueue(chunk);
          if (remaining === 0) {
            finish();
            controller.close();
            // A source that keeps going past `end` is stopped; one that ends there is left alone.
            reader.read().then(({ done }) => done ? undefined : reader.cancel()).catch(() => {});
          }
          return;
        }
      } catch (error) {
        finish();
        controller.error(error);
        reader.cancel(error).catch(() => {});
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}
