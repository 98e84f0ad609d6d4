/**
 * Transcoding latency: from a player's request for the HLS segment at 75% of a file (a seek, so
 * ffmpeg starts there) to the last byte of that segment, with the video copied (H.264 on a
 * 6 s keyframe grid) or encoded (libx264 veryfast), at 320x240 and 1280x720. The source is a
 * range server throttled like a download in progress; the probe is done beforehand (a player
 * fetches the playlist first). Runnable alone: `deno run -A bench/transcode_latency.ts`.
 * @module
 */

import { createTranscoder } from "../src/transcode/transcode_routes.ts";
import { makeMedia, MEDIA } from "../tests/transcode/media_fixtures.ts";
import { serveRanges } from "../tests/transcode/range_server.ts";

/** One measured case. */
export interface TranscodeLatencyRow {
  /** `copy` (H.264/AAC copied) or `transcode` (H.264 encoded, audio to AAC). */
  readonly mode: "copy" | "transcode";
  /** Source file: container and codecs. */
  readonly source: string;
  readonly resolution: string;
  /** Median over the rounds: request sent to first byte, and to last byte, in ms. */
  readonly firstByteMs: number;
  readonly lastByteMs: number;
  /** The same segment asked again (from the segment cache), last byte, ms. */
  readonly cachedMs: number;
  readonly segmentBytes: number;
}

/** What to measure; defaults are what `deno task bench` runs. */
export interface TranscodeLatencyOptions {
  readonly rounds?: number;
  readonly resolutions?: readonly string[];
  /** Throttle of the stand-in stream server, bytes per second. */
  readonly sourceBytesPerSecond?: number;
}

const SECONDS = 60;
const SEGMENT = 7; // 42-48 s of 60: the segment at 75%

const CASES = [
  { mode: "copy", name: "h264_aac.mp4", source: "MP4 H.264/AAC, keyframe every 6 s" },
  { mode: "transcode", name: "h264_ac3.mkv", source: "MKV H.264/AC-3, keyframe every 10 s" },
  { mode: "transcode", name: "mpeg4_mp2.avi", source: "AVI MPEG-4 Part 2/MP2" },
] as const;

/**
 * Measures every case at every resolution; fresh transcoder per round, so each measured
 * request starts ffmpeg.
 * @example
 * ```ts ignore
 * const rows = await benchTranscodeLatency({ rounds: 1, resolutions: ["320x240"] });
 * ```
 */
export async function benchTranscodeLatency(
  options: TranscodeLatencyOptions = {},
): Promise<TranscodeLatencyRow[]> {
  const rounds = options.rounds ?? 3;
  const rate = options.sourceBytesPerSecond ?? 8 << 20;
  const dir = await Deno.makeTempDir({ prefix: "bench-transcode-" });
  const rows: TranscodeLatencyRow[] = [];
  try {
    for (const resolution of options.resolutions ?? ["320x240", "1280x720"]) {
      const paths = [];
      for (const c of CASES) {
        paths.push(
          await makeMedia(dir, `${resolution}-${c.name}`, SECONDS, MEDIA[c.name], resolution),
        );
      }
      const source = await serveRanges(paths, rate);
      try {
        for (const [index, c] of CASES.entries()) {
          const runs: Measure[] = [];
          for (let round = 0; round < rounds; round++) {
            runs.push(await measureOnce(dir, (i) => source.url(i), index));
          }
          const median = (pick: (r: Measure) => number) =>
            Math.round(10 * runs.map(pick).sort((a, b) => a - b)[Math.floor(runs.length / 2)]) /
            10;
          rows.push({
            mode: c.mode,
            source: c.source,
            resolution,
            firstByteMs: median((r) => r.firstByteMs),
            lastByteMs: median((r) => r.lastByteMs),
            cachedMs: median((r) => r.cachedMs),
            segmentBytes: runs[0].bytes,
          });
        }
      } finally {
        await source.close();
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  return rows;
}

interface Measure {
  firstByteMs: number;
  lastByteMs: number;
  cachedMs: number;
  bytes: number;
}

async function measureOnce(
  dir: string,
  sourceUrl: (index: number) => string | undefined,
  index: number,
): Promise<Measure> {
  const transcoder = createTranscoder({ cacheDir: dir });
  const ctx = { sourceUrl };
  const request = (path: string) =>
    transcoder.handle(new Request(`http://127.0.0.1/${index}/${path}`), ctx);
  try {
    const playlist = await request("hls/index.m3u8");
    if (playlist?.status !== 200) throw new Error(`playlist: ${await playlist?.text()}`);
    await playlist.body?.cancel();
    const start = performance.now();
    const response = await request(`hls/${SEGMENT}.ts`);
    if (!response || response.status !== 200) {
      throw new Error(`segment ${SEGMENT}: ${await response?.text()}`);
    }
    let firstByteMs = 0;
    let bytes = 0;
    for await (const chunk of response.body!) {
      if (bytes === 0) firstByteMs = performance.now() - start;
      bytes += chunk.length;
    }
    const lastByteMs = performance.now() - start;
    const again = performance.now();
    const cached = await request(`hls/${SEGMENT}.ts`);
    await cached!.arrayBuffer();
    return { firstByteMs, lastByteMs, cachedMs: performance.now() - again, bytes };
  } finally {
    await transcoder.close();
  }
}

if (import.meta.main) {
  const rows = await benchTranscodeLatency();
  console.log("segment at 75%, fresh ffmpeg per request (median of 3), source at 8 MiB/s");
  console.table(rows);
}
