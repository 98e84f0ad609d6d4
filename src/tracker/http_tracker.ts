/**
 * Announcing to `http://` and `https://` trackers with fetch(), bounded in time and reply size.
 * @module
 */

import { buildAnnounceUrl } from "./http_announce_url.ts";
import { parseHttpAnnounceReply } from "./http_reply.ts";
import { TrackerError, TrackerRefusal } from "./tracker_error.ts";
import { concatBytes } from "../util/bytes.ts";
import type { AnnounceRequest, AnnounceResponse } from "./types.ts";

/**
 * Options of {@linkcode httpAnnounce}.
 * @example
 * ```ts
 * const options: HttpAnnounceOptions = { timeoutMs: 5000, maxReplyBytes: 64 * 1024 };
 * ```
 */
export interface HttpAnnounceOptions {
  /** Whole request, body included; default 15 s. */
  readonly timeoutMs?: number;
  /** Longest reply body accepted; default 1 MiB (a compact reply of 200 peers is ~1.3 KiB). */
  readonly maxReplyBytes?: number;
  /** Aborting rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * GETs the announce URL and parses the reply. Throws {@linkcode TrackerError} when the tracker
 * cannot be reached, is too slow, answers a non-2xx status or a body too big, not bencode or with
 * a `failure reason`.
 * @example
 * ```ts
 * const { interval, peers } = await httpAnnounce("http://127.0.0.1:6969/announce", request);
 * ```
 */
export async function httpAnnounce(
  url: string,
  request: AnnounceRequest,
  options: HttpAnnounceOptions = {},
): Promise<AnnounceResponse> {
  const { timeoutMs = 15_000, maxReplyBytes = 1 << 20, signal: callerSignal } = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
  let status: number;
  let body: Uint8Array;
  try {
    const response = await fetch(buildAnnounceUrl(url, request), { signal, redirect: "follow" });
    status = response.status;
    body = await readBounded(response, maxReplyBytes, url);
  } catch (error) {
    callerSignal?.throwIfAborted();
    if (error instanceof TrackerError) throw error;
    if (timeout.aborted) throw new TrackerError(`no reply from ${url} within ${timeoutMs} ms`);
    throw new TrackerError(`cannot reach ${url}: ${fetchErrorText(error)}`);
  }
  if (status < 200 || status > 299) {
    try {
      parseHttpAnnounceReply(body);
    } catch (error) {
      // Many trackers send their bencoded failure reason with an error status: it says more.
      if (error instanceof TrackerRefusal) throw error;
    }
    throw new TrackerError(`${url} answered HTTP ${status}`);
  }
  return parseHttpAnnounceReply(body);
}

async function readBounded(response: Response, max: number, url: string): Promise<Uint8Array> {
  const tooBig = () => new TrackerError(`reply from ${url} is larger than ${max} bytes`);
  if (Number(response.headers.get("content-length") ?? 0) > max) {
    await response.body?.cancel();
    throw tooBig();
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = response.body.getReader();
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > max) {
      await reader.cancel();
      throw tooBig();
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

/** Deno's fetch errors keep the detail in `cause` and repeat the whole URL: keep only the detail. */
function fetchErrorText(error: unknown): string {
  const detail = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const message = detail instanceof Error ? detail.message : String(detail);
  return message.replace(/^error sending request for url \(.*?\): /, "");
}
