/**
 * The one-line progress report printed once a second without a terminal (or with --no-tui).
 * @module
 */

import type { TorrentSnapshot } from "../src/torrent/snapshot.ts";
import { formatBytes, formatDuration, formatRate } from "../src/util/format.ts";
import { sanitize } from "./text.ts";
import { percentText, progressFraction } from "./torrent_stats.ts";

/**
 * One line of progress: percent, bytes, rates, peers, then the ETA while downloading or the
 * state otherwise (and the error, if any).
 * @example
 * ```ts
 * formatProgressLine(snapshot);
 * // "[ 42.1%] 12.3 MiB/30.0 MiB  down 5.2 MiB/s  up 0 B/s  peers 3  eta 4s"
 * ```
 */
export function formatProgressLine(s: TorrentSnapshot): string {
  if (s.state === "metadata") {
    const peers = s.peers.length;
    return `[  meta] ${sanitize(s.name)}: fetching metadata from ${peers} peer${
      peers === 1 ? "" : "s"
    }`;
  }
  const percent = percentText(progressFraction(s)).padStart(6);
  const tail = s.state === "downloading"
    ? `eta ${s.etaSeconds === undefined ? "∞" : formatDuration(s.etaSeconds)}`
    : s.state === "error"
    ? `error: ${sanitize(s.error ?? "unknown")}`
    : s.state;
  return `[${percent}] ${formatBytes(s.verifiedBytes)}/${formatBytes(s.wantedBytes)}  ` +
    `down ${formatRate(s.downRate)}  up ${formatRate(s.upRate)}  peers ${s.peers.length}  ${tail}`;
}
