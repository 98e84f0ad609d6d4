/**
 * The transcode benchmark (issue 8): {@linkcode benchTranscodeLatency} (the HLS segment at 75%
 * of a file, requested to its last byte, video copied or encoded), with our raw stream's
 * first-byte latency from the `stream` section of the same run beside it when that ran.
 * @module
 */

import type { BenchContext, BenchRow, Section, SectionResult } from "./section.ts";
import { ourStreamFirstByteMs } from "./stream_section.ts";
import { benchTranscodeLatency } from "./transcode_latency.ts";

/** What to run. */
export interface TranscodeBenchOptions {
  readonly rounds: number;
  /** Output sizes, e.g. "320x240"; default both of `benchTranscodeLatency`'s. */
  readonly resolutions?: readonly string[];
}

/**
 * Measures transcoding latency and adds the raw-stream row from `context.earlier.stream`.
 * @example
 * ```ts
 * const result = await benchTranscode(context, { rounds: 1, resolutions: ["320x240"] });
 * ```
 */
export async function benchTranscode(
  context: BenchContext,
  options: TranscodeBenchOptions,
): Promise<SectionResult> {
  context.log("transcode: making media and timing segments (copy and transcode)");
  const measured = await benchTranscodeLatency({
    rounds: options.rounds,
    resolutions: options.resolutions,
  });
  const rows: BenchRow[] = measured.map((r) => ({ ...r }));
  const stream = context.earlier.stream;
  const raw = stream && "rows" in stream ? ourStreamFirstByteMs(stream) : null;
  if (raw !== null) {
    rows.push({
      mode: "raw stream",
      source: "ours --stream, Range at 75% (stream section)",
      resolution: null,
      firstByteMs: raw,
      lastByteMs: null,
      cachedMs: null,
      segmentBytes: null,
    });
  }
  return {
    title: `transcode: HLS segment at 75% of a 60 s file, request to last byte, fresh ffmpeg ` +
      `per request (median of ${options.rounds} round${options.rounds === 1 ? "" : "s"})`,
    columns: [
      { key: "mode", header: "mode" },
      { key: "source", header: "source" },
      { key: "resolution", header: "size" },
      { key: "firstByteMs", header: "first byte ms", digits: 0 },
      { key: "lastByteMs", header: "last byte ms", digits: 0 },
      { key: "cachedMs", header: "cached ms", digits: 1 },
      { key: "segmentBytes", header: "segment bytes" },
    ],
    rows,
    notes: [
      "bench/transcode_latency.ts: the source is a range server throttled to 8 MiB/s (a download " +
      "in progress); the playlist is fetched first, as a player does; cached: the same segment " +
      "asked again.",
      raw !== null
        ? "raw stream: our client's first byte for a Range request at 75% on the rate-limited " +
          "libtorrent swarm, from the stream section of this run (no segment: bytes as stored)."
        : "raw stream: no figure, the stream section did not run (or failed) in this run.",
    ],
  };
}

/**
 * The registry entry: `--rounds` rounds at 320x240 and 1280x720.
 * @example
 * ```ts
 * const result = await TRANSCODE_SECTION.run(context);
 * ```
 */
export const TRANSCODE_SECTION: Section = {
  name: "transcode",
  summary: "HLS segment at 75%: copy vs transcode, to last byte (ms), beside the raw stream's",
  run: (context) => benchTranscode(context, { rounds: context.rounds }),
};
