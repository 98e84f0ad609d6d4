/**
 * The fixed segment grid of a file and its VOD playlist. The grid is decided from the probe
 * alone, before any segment exists, so every ffmpeg run (whatever segment it starts at) cuts at
 * the same times and segments from different runs play as one timeline. Pure.
 * @module
 */

import type { HlsPlan } from "./codec_plan.ts";

/** A last segment shorter than this is folded into the one before (it is often audio only). */
const MIN_TAIL_SECONDS = 0.25;
/**
 * With stream copy, ffmpeg is asked to start this far before the keyframe that opens a segment,
 * so demuxer rounding (Matroska keeps milliseconds) never makes it skip that keyframe; it is less
 * than a frame even at 120 fps, and ffmpeg drops what comes before the keyframe.
 */
const COPY_SEEK_LEAD_SECONDS = 0.004;

/** The segment grid: segment `n` starts at `n * segmentSeconds + offsetSeconds` (0 for n = 0). */
export type SegmentGrid = Pick<HlsPlan, "segmentSeconds" | "offsetSeconds">;

/**
 * Number of segments of a file lasting `durationSeconds`.
 * @example
 * ```ts
 * segmentCount(60, { segmentSeconds: 6, offsetSeconds: 0 }); // 10
 * segmentCount(61, { segmentSeconds: 6, offsetSeconds: 0 }); // 11
 * ```
 */
export function segmentCount(durationSeconds: number, grid: SegmentGrid): number {
  const span = durationSeconds - MIN_TAIL_SECONDS - grid.offsetSeconds;
  return Math.max(1, Math.ceil(span / grid.segmentSeconds));
}

/**
 * Start of segment `n` in seconds from the file's start.
 * @example
 * ```ts
 * segmentStartSeconds(3, { segmentSeconds: 6, offsetSeconds: 0.021 }); // 18.021
 * segmentStartSeconds(0, { segmentSeconds: 6, offsetSeconds: 0.021 }); // 0
 * ```
 */
export function segmentStartSeconds(n: number, grid: SegmentGrid): number {
  return n === 0 ? 0 : grid.offsetSeconds + n * grid.segmentSeconds;
}

/**
 * Where an ffmpeg run that begins with segment `n` seeks to (`-ss`). Encoding seeks exactly to
 * the segment's start; stream copy seeks a little before the keyframe that opens it.
 * @example
 * ```ts
 * const plan = { streams: [], segmentSeconds: 6, offsetSeconds: 0 };
 * runSeekSeconds(5, plan); // 30
 * ```
 */
export function runSeekSeconds(n: number, plan: HlsPlan): number {
  const start = segmentStartSeconds(n, plan);
  const copying = plan.streams.some((s) => s.type === "video" && s.conversion === "copy");
  return copying && n > 0 ? start - COPY_SEEK_LEAD_SECONDS : start;
}

/**
 * The VOD playlist of a file: `#EXTINF` from the grid, segments named `<n>.ts` (relative, so the
 * playlist works under whatever prefix it is served from).
 * @example
 * ```ts
 * const text = buildPlaylist(13, { segmentSeconds: 6, offsetSeconds: 0 });
 * // "#EXTM3U\n…#EXTINF:6.000000,\n0.ts\n…#EXTINF:1.000000,\n2.ts\n#EXT-X-ENDLIST\n"
 * ```
 */
export function buildPlaylist(durationSeconds: number, grid: SegmentGrid): string {
  const count = segmentCount(durationSeconds, grid);
  const durations = Array.from({ length: count }, (_, n) => {
    const end = n === count - 1 ? durationSeconds : segmentStartSeconds(n + 1, grid);
    return Math.max(0, end - segmentStartSeconds(n, grid));
  });
  const target = Math.max(1, ...durations.map((d) => Math.round(d)));
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    "#EXT-X-PLAYLIST-TYPE:VOD",
    `#EXT-X-TARGETDURATION:${target}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-INDEPENDENT-SEGMENTS",
    ...durations.flatMap((d, n) => [`#EXTINF:${d.toFixed(6)},`, `${n}.ts`]),
    "#EXT-X-ENDLIST",
  ];
  return lines.join("\n") + "\n";
}
