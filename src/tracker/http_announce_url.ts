/**
 * The HTTP announce URL (BEP 3, BEP 23): the torrent's announce URL with our parameters appended.
 * @module
 */

import type { AnnounceRequest } from "./types.ts";

/**
 * Percent-encodes bytes one by one, leaving only RFC 3986 unreserved characters as they are.
 * `encodeURIComponent` cannot be used: the info hash and peer id are bytes, not text.
 * @example
 * ```ts
 * percentEncodeBytes(new Uint8Array([0x41, 0x20, 0xff])); // "A%20%FF"
 * ```
 */
export function percentEncodeBytes(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) {
    const unreserved = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x61 && b <= 0x7a) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e;
    out += unreserved
      ? String.fromCharCode(b)
      : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * The URL to GET for an announce. A query string already in `announceUrl` (a private tracker's
 * passkey, say) is kept and ours is appended; a fragment is dropped. Always asks for the compact
 * peer list; `key` is sent as 8 hex digits.
 * @example
 * ```ts
 * buildAnnounceUrl("http://t.example/announce?pk=1", request);
 * // "http://t.example/announce?pk=1&info_hash=...&peer_id=...&port=6881&uploaded=0&..."
 * ```
 */
export function buildAnnounceUrl(announceUrl: string, request: AnnounceRequest): string {
  const base = announceUrl.split("#", 1)[0];
  const params = [
    `info_hash=${percentEncodeBytes(request.infoHash)}`,
    `peer_id=${percentEncodeBytes(request.peerId)}`,
    `port=${request.port}`,
    `uploaded=${request.uploaded}`,
    `downloaded=${request.downloaded}`,
    `left=${request.left}`,
    "compact=1",
  ];
  if (request.event) params.push(`event=${request.event}`);
  if (request.numWant !== undefined) params.push(`numwant=${request.numWant}`);
  if (request.key !== undefined) {
    params.push(`key=${(request.key >>> 0).toString(16).padStart(8, "0")}`);
  }
  const separator = !base.includes("?") ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
  return base + separator + params.join("&");
}
