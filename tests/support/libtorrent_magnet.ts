/**
 * libtorrent's (rasterbar, python3-libtorrent 2.0.x) reading and writing of magnet links, as a
 * reference for ours: `lt.parse_magnet_uri` and `lt.make_magnet_uri`, run under Debian's
 * /usr/bin/python3.
 * @module
 */

import { spawnTracked } from "./process.ts";

/** What libtorrent's `parse_magnet_uri` makes of a link. */
export interface LibtorrentMagnet {
  /** The v1 info-hash, lower-case hex (40 zeros when the link has none). */
  readonly infoHash: string;
  /** `dn`, or "" when absent. */
  readonly name: string;
  /** `tr` URLs, in order. */
  readonly trackers: string[];
  /** Each tracker's tier, index by index with `trackers`. */
  readonly tiers: number[];
  /** `x.pe` peers as "host:port". */
  readonly peers: string[];
}

const PARSE = `
import json, sys
import libtorrent as lt
p = lt.parse_magnet_uri(sys.argv[1])
print(json.dumps({
    "infoHash": str(p.info_hashes.v1),
    "name": p.name,
    "trackers": list(p.trackers),
    "tiers": list(p.tracker_tiers),
    "peers": [f"{h}:{port}" for h, port in p.peers],
}))
`;

const MAKE = `
import sys
import libtorrent as lt
print(lt.make_magnet_uri(lt.torrent_info(sys.argv[1])))
`;

async function python(script: string, arg: string, timeoutMs: number): Promise<string> {
  const proc = spawnTracked("/usr/bin/python3", ["-c", script, arg]);
  const timer = setTimeout(() => proc.stop(), timeoutMs);
  try {
    const status = await proc.child.status;
    await proc.stop();
    const text = proc.output();
    if (!status.success) throw new Error(`libtorrent script failed (${status.code}):\n${text}`);
    return text.trim();
  } finally {
    clearTimeout(timer);
    await proc.stop();
  }
}

/**
 * Parses a magnet link with libtorrent's `parse_magnet_uri`. Rejects when libtorrent refuses it.
 * @example
 * ```ts
 * const m = await parseMagnetWithLibtorrent("magnet:?xt=urn:btih:...&tr=http%3A%2F%2Ft%2Fa");
 * m.trackers; // ["http://t/a"]
 * ```
 */
export async function parseMagnetWithLibtorrent(
  uri: string,
  timeoutMs = 10_000,
): Promise<LibtorrentMagnet> {
  return JSON.parse(await python(PARSE, uri, timeoutMs)) as LibtorrentMagnet;
}

/**
 * The magnet link libtorrent's `make_magnet_uri` writes for a `.torrent` file.
 * @example
 * ```ts
 * const uri = await libtorrentMagnetOf("/tmp/x.torrent");
 * ```
 */
export async function libtorrentMagnetOf(torrentPath: string, timeoutMs = 10_000): Promise<string> {
  return await python(MAKE, torrentPath, timeoutMs);
}
