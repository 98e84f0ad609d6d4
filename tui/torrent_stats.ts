/**
 * Figures derived from a snapshot that several views show the same way.
 * @module
 */

import type { TorrentSnapshot } from "../src/torrent/snapshot.ts";
import { formatRate } from "../src/util/format.ts";

/**
 * Fraction of the wanted bytes verified, 0..1. A torrent with nothing wanted counts as complete
 * once it is seeding or done, and as 0 before its metadata arrives.
 * @example
 * ```ts
 * progressFraction(snapshot); // 0.421
 * ```
 */
export function progressFraction(s: TorrentSnapshot): number {
  if (s.wantedBytes > 0) return Math.min(1, s.verifiedBytes / s.wantedBytes);
  return s.state === "seeding" || s.state === "done" ? 1 : 0;
}

/**
 * Upload/download ratio of this session as text: "0.12", "∞" when only uploaded, "-" when idle.
 * @example
 * ```ts
 * ratioText({ downloaded: 100, uploaded: 12 }); // "0.12"
 * ```
 */
export function ratioText(s: Pick<TorrentSnapshot, "downloaded" | "uploaded">): string {
  if (s.downloaded > 0) return (s.uploaded / s.downloaded).toFixed(2);
  return s.uploaded > 0 ? "∞" : "-";
}

/**
 * Percent with one decimal, never showing 100.0 before the last byte is verified.
 * @example
 * ```ts
 * percentText(0.99999); // "99.9%"
 * ```
 */
export function percentText(fraction: number): string {
  const tenths = fraction >= 1 ? 1000 : Math.min(999, Math.floor(fraction * 1000));
  return `${(tenths / 10).toFixed(1)}%`;
}

/**
 * A rate that fits `width` cells: "636.8 KiB/s", or without the decimal when that is too long
 * ("1010 KiB/s").
 * @example
 * ```ts
 * columnRate(1010 * 1024, 11); // "1010 KiB/s"
 * ```
 */
export function columnRate(bytesPerSecond: number, width: number): string {
  const text = formatRate(bytesPerSecond);
  return text.length <= width ? text : text.replace(/\.\d/, "");
}
