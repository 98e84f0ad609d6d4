/**
 * Per-stream decisions: copy what the output can carry and players decode, convert the rest.
 * Pure; the argv builder turns a plan into ffmpeg options.
 * @module
 */

import { copySegmentSeconds, keyframeCadence } from "./keyframe_cadence.ts";
import { mainAudioStream, mainVideoStream, type MediaProbe } from "./media_probe.ts";

/** What happens to one stream: copied as is, or encoded to H.264, AAC or AC-3. */
export type Conversion = "copy" | "h264" | "aac" | "ac3";

/** One output stream: input stream `input` (a video or audio stream) and what is done to it. */
export interface PlannedStream {
  readonly input: number;
  readonly type: "video" | "audio";
  /** The input codec, for reports. */
  readonly codec: string;
  readonly conversion: Conversion;
  /** Input channel count (audio), used to pick the encoder's bit rate. */
  readonly channels?: number;
}

/** MPEG-TS stream types ffmpeg writes that common players (VLC, mpv, TVs) decode. */
const TS_VIDEO: ReadonlySet<string> = new Set([
  "h264",
  "hevc",
  "mpeg1video",
  "mpeg2video",
  "mpeg4",
]);
const TS_AUDIO: ReadonlySet<string> = new Set(["aac", "mp3", "mp2", "ac3", "eac3"]);

/**
 * How `/remux.ts` treats a stream: video the container carries is copied, other video becomes
 * H.264; audio it carries is copied, other audio (DTS, TrueHD, FLAC, Opus, PCM…) becomes AC-3,
 * which keeps up to 5.1 channels, as rqbit does.
 * @example
 * ```ts
 * remuxConversion("audio", "dts"); // "ac3"
 * remuxConversion("video", "vp9"); // "h264"
 * remuxConversion("audio", "mp2"); // "copy"
 * ```
 */
export function remuxConversion(type: "video" | "audio", codec: string): Conversion {
  if (type === "video") return TS_VIDEO.has(codec) ? "copy" : "h264";
  return TS_AUDIO.has(codec) ? "copy" : "ac3";
}

/**
 * The `/remux.ts` plan: the main video stream and every audio stream (subtitles, data and cover
 * art are left out).
 * @example
 * ```ts
 * import { parseMediaProbe } from "./media_probe.ts";
 * const probe = parseMediaProbe(JSON.stringify({ format: { format_name: "matroska,webm" },
 *   streams: [{ index: 0, codec_type: "video", codec_name: "h264" },
 *             { index: 1, codec_type: "audio", codec_name: "dts", channels: 6 }] }));
 * remuxPlan(probe).map((s) => s.conversion); // ["copy", "ac3"]
 * ```
 */
export function remuxPlan(probe: MediaProbe): PlannedStream[] {
  const video = mainVideoStream(probe);
  const streams = [
    ...(video ? [video] : []),
    ...probe.streams.filter((s) => s.type === "audio"),
  ];
  return streams.map((s) => ({
    input: s.index,
    type: s.type as "video" | "audio",
    codec: s.codec,
    conversion: remuxConversion(s.type as "video" | "audio", s.codec),
    ...(s.channels === undefined ? {} : { channels: s.channels }),
  }));
}

/** The HLS plan: streams, segment grid, and where ffmpeg must seek for segment `n`. */
export interface HlsPlan {
  readonly streams: readonly PlannedStream[];
  /** Length of every segment but the last. */
  readonly segmentSeconds: number;
  /**
   * Seconds from the file's start of the first keyframe when video is copied (segments start at
   * `offset + n * segmentSeconds`), else 0.
   */
  readonly offsetSeconds: number;
}

/** 8-bit 4:2:0, what every H.264 decoder in a browser or TV takes. */
const PLAYABLE_PIXEL_FORMATS: ReadonlySet<string> = new Set(["yuv420p", "yuvj420p"]);

/**
 * How `/hls/` treats the main video and audio: H.264 (8-bit 4:2:0) is copied when its keyframes
 * fall on a regular grid (segments are then a whole number of keyframe periods close to
 * `targetSeconds`); otherwise video is encoded to H.264 with a keyframe forced at every
 * `targetSeconds`. AAC is copied, other audio becomes stereo AAC.
 * @example
 * ```ts
 * import { parseMediaProbe } from "./media_probe.ts";
 * const probe = parseMediaProbe(JSON.stringify({ format: { format_name: "avi" },
 *   streams: [{ index: 0, codec_type: "video", codec_name: "mpeg4" },
 *             { index: 1, codec_type: "audio", codec_name: "mp2" }] }));
 * hlsPlan(probe, 6).streams.map((s) => s.conversion); // ["h264", "aac"]
 * ```
 */
export function hlsPlan(probe: MediaProbe, targetSeconds: number): HlsPlan {
  const video = mainVideoStream(probe);
  const audio = mainAudioStream(probe);
  const cadence = video && video.codec === "h264" &&
      PLAYABLE_PIXEL_FORMATS.has(video.pixelFormat ?? "")
    ? keyframeCadence(probe.keyframes, video.frameRate)
    : undefined;
  const copySeconds = cadence && copySegmentSeconds(cadence, targetSeconds);
  const streams: PlannedStream[] = [];
  if (video) {
    streams.push({
      input: video.index,
      type: "video",
      codec: video.codec,
      conversion: copySeconds ? "copy" : "h264",
    });
  }
  if (audio) {
    streams.push({
      input: audio.index,
      type: "audio",
      codec: audio.codec,
      conversion: audio.codec === "aac" ? "copy" : "aac",
      ...(audio.channels === undefined ? {} : { channels: audio.channels }),
    });
  }
  return copySeconds && cadence
    ? { streams, segmentSeconds: copySeconds, offsetSeconds: cadence.offsetSeconds }
    : { streams, segmentSeconds: targetSeconds, offsetSeconds: 0 };
}
