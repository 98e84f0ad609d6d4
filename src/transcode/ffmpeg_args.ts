/**
 * argv for ffprobe and ffmpeg. Nothing from a request reaches these lists except integers and the
 * loopback source URL; inputs are confined to HTTP (no `file:`, no other protocol) and to real
 * media demuxers, so a torrent file that is secretly a playlist (HLS, concat, ffconcat) cannot
 * make ffmpeg fetch other files or hosts. Pure.
 * @module
 */

import type { Conversion, HlsPlan, PlannedStream } from "./codec_plan.ts";
import { runSeekSeconds, segmentStartSeconds } from "./hls_playlist.ts";

/** Demuxers allowed to open a source (ffmpeg matches any name of a demuxer's name list). */
export const ALLOWED_DEMUXERS: readonly string[] = [
  "matroska",
  "webm",
  "mov",
  "mp4",
  "avi",
  "mpegts",
  "mpeg",
  "flv",
  "asf",
  "ogg",
  "wav",
  "w64",
  "aiff",
  "mp3",
  "aac",
  "ac3",
  "eac3",
  "dts",
  "truehd",
  "flac",
  "wv",
  "ape",
  "h264",
  "hevc",
  "m4v",
  "mpegvideo",
  "rm",
  "dv",
  "nut",
];

/** Options before `-i` that pin what an input may open. */
function inputArgs(sourceUrl: string, seekSeconds: number): string[] {
  return [
    "-protocol_whitelist",
    "http,tcp",
    "-format_whitelist",
    ALLOWED_DEMUXERS.join(","),
    ...(seekSeconds > 0 ? ["-ss", seconds(seekSeconds)] : []),
    "-i",
    sourceUrl,
  ];
}

const seconds = (value: number) => value.toFixed(6);

/**
 * ffprobe argv: container and streams, plus the packets of the first `sampleSeconds` (their
 * keyframe flags tell whether HLS can copy the video).
 * @example
 * ```ts
 * probeArgs("http://127.0.0.1:8080/0/a.mkv", 13).at(-1); // "http://127.0.0.1:8080/0/a.mkv"
 * ```
 */
export function probeArgs(sourceUrl: string, sampleSeconds: number): string[] {
  return [
    "-v",
    "error",
    "-of",
    "json",
    "-show_format",
    "-show_streams",
    "-show_entries",
    "packet=stream_index,pts_time,flags",
    "-read_intervals",
    `%+${Math.ceil(sampleSeconds)}`,
    ...inputArgs(sourceUrl, 0),
  ];
}

const AUDIO_BIT_RATE: Readonly<Record<"aac" | "ac3", (channels: number) => string>> = {
  aac: () => "160k",
  ac3: (channels) => (channels > 2 ? "448k" : "192k"),
};

function streamArgs(streams: readonly PlannedStream[], keyframeSeconds?: number): string[] {
  return streams.flatMap((s, out) => {
    const codec = (c: Conversion) => ({ copy: "copy", h264: "libx264", aac: "aac", ac3: "ac3" })[c];
    const args = ["-map", `0:${s.input}`, `-c:${out}`, codec(s.conversion)];
    if (s.conversion === "h264") {
      args.push(`-preset:${out}`, "veryfast", `-pix_fmt:${out}`, "yuv420p");
      if (keyframeSeconds !== undefined) {
        args.push(`-force_key_frames:${out}`, `expr:gte(t,n_forced*${seconds(keyframeSeconds)})`);
      }
    }
    if (s.conversion === "aac" || s.conversion === "ac3") {
      args.push(`-b:${out}`, AUDIO_BIT_RATE[s.conversion](s.channels ?? 2));
      if (s.conversion === "aac") args.push(`-ac:${out}`, "2");
    }
    return args;
  });
}

/** Options every ffmpeg run shares: quiet, no stdin, no metadata or chapters carried over. */
const COMMON = ["-nostdin", "-hide_banner", "-loglevel", "error"];
const OUTPUT_COMMON = [
  "-map_metadata",
  "-1",
  "-map_chapters",
  "-1",
  "-max_muxing_queue_size",
  "4096",
];

/**
 * ffmpeg argv for `/remux.ts`: the whole file as one MPEG-TS on stdout.
 * @example
 * ```ts
 * const args = remuxArgs("http://127.0.0.1:8080/0/a.mkv",
 *   [{ input: 1, type: "audio", codec: "dts", conversion: "ac3", channels: 6 }]);
 * args.slice(-2); // ["mpegts", "pipe:1"]
 * ```
 */
export function remuxArgs(sourceUrl: string, streams: readonly PlannedStream[]): string[] {
  return [
    ...COMMON,
    ...inputArgs(sourceUrl, 0),
    ...streamArgs(streams),
    ...OUTPUT_COMMON,
    "-f",
    "mpegts",
    "pipe:1",
  ];
}

/** Where a segmenting run writes: `<dir>/<n>.ts` and its completion list `<dir>/list.csv`. */
export interface SegmentRunTarget {
  readonly sourceUrl: string;
  readonly plan: HlsPlan;
  /** First segment this run makes. */
  readonly startSegment: number;
  /** An absolute folder of our own (the run's scratch folder). */
  readonly dir: string;
}

/**
 * ffmpeg argv for an HLS run from segment `startSegment` on: seeks there, cuts on the fixed grid
 * (forcing keyframes there when encoding), numbers files from `startSegment` and shifts
 * timestamps back to the file's own times, so segments of any two runs line up. ffmpeg starts
 * its output clock at the first packet it keeps, which is the segment's first frame (exactly,
 * when encoding; with copy, an audio packet in the few milliseconds of seek lead can come first,
 * so a restarted copy run may be up to that lead early).
 * @example
 * ```ts
 * const args = segmentArgs({
 *   sourceUrl: "http://127.0.0.1:8080/0/a.mkv",
 *   plan: { streams: [], segmentSeconds: 6, offsetSeconds: 0 },
 *   startSegment: 5,
 *   dir: "/tmp/run",
 * });
 * args.at(-1); // "/tmp/run/%d.ts"
 * ```
 */
export function segmentArgs(target: SegmentRunTarget): string[] {
  const { plan, startSegment, dir } = target;
  const seek = runSeekSeconds(startSegment, plan);
  return [
    ...COMMON,
    ...inputArgs(target.sourceUrl, seek),
    ...streamArgs(plan.streams, plan.segmentSeconds),
    // With a seek, copied packets from before the seek point would be kept and shifted; drop them.
    "-copypriorss",
    "0",
    ...OUTPUT_COMMON,
    "-f",
    "segment",
    "-segment_format",
    "mpegts",
    // Each segment is a fresh MPEG-TS whose continuity counters start over (and a segment's
    // neighbour may come from another run): flag that, or demuxers see a corrupt packet there.
    "-segment_format_options",
    "mpegts_flags=+initial_discontinuity",
    "-segment_time",
    seconds(plan.segmentSeconds),
    "-segment_start_number",
    String(startSegment),
    "-initial_offset",
    seconds(segmentStartSeconds(startSegment, plan)),
    "-segment_list",
    `${dir}/list.csv`,
    "-segment_list_type",
    "csv",
    `${dir}/%d.ts`,
  ];
}
