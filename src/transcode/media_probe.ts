/**
 * ffprobe's JSON reduced to what planning a transcode needs. ffprobe describes untrusted files,
 * so every field is checked: the parser returns a well-formed {@linkcode MediaProbe} or throws a
 * {@linkcode TranscodeError}, never a TypeError.
 * @module
 */

import { TranscodeError } from "./transcode_error.ts";

/** Kind of an elementary stream. */
export type StreamType = "video" | "audio" | "subtitle" | "data" | "attachment" | "other";

/** One elementary stream of the file, as far as transcoding goes. */
export interface ProbeStream {
  /** Input stream index, used as `-map 0:<index>`. */
  readonly index: number;
  readonly type: StreamType;
  /** ffmpeg codec name (`h264`, `aac`, `dts`…), `unknown` if ffprobe gave none. */
  readonly codec: string;
  readonly profile?: string;
  /** Bits per second, when known. */
  readonly bitRate?: number;
  readonly width?: number;
  readonly height?: number;
  readonly pixelFormat?: string;
  /** Frames per second from `r_frame_rate`, when it is a real rate. */
  readonly frameRate?: number;
  readonly channels?: number;
  readonly sampleRate?: number;
  readonly language?: string;
  /** Disposition `default`. */
  readonly isDefault: boolean;
  /** Cover art stored as a one-frame video stream. */
  readonly isPicture: boolean;
}

/** A probed media file. */
export interface MediaProbe {
  /** Container name as ffmpeg knows it (`matroska,webm`, `avi`…). */
  readonly format: string;
  /** Seconds, when the container or bit rate tells. */
  readonly durationSeconds?: number;
  /** Seconds of the first timestamp (`-ss` is relative to it). */
  readonly startSeconds: number;
  /** Overall bits per second, when known. */
  readonly bitRate?: number;
  readonly streams: readonly ProbeStream[];
  /**
   * Keyframe times (seconds since `startSeconds`, ascending) of the main video stream within
   * the sampled start of the file.
   */
  readonly keyframes: readonly number[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 && value.length < 200 ? value : undefined;
}

/** ffprobe prints numbers as strings; accept finite non-negative ones only. */
function number(value: unknown): number | undefined {
  if (typeof value === "string" && value.trim() === "") return undefined;
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function integer(value: unknown): number | undefined {
  const n = number(value);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

/** `"30000/1001"` → 29.97…; `"0/0"` and nonsense → undefined. */
function rate(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^(\d{1,9})\/(\d{1,9})$/.exec(value);
  if (!match) return undefined;
  const [num, den] = [Number(match[1]), Number(match[2])];
  return num > 0 && den > 0 && num / den <= 1000 ? num / den : undefined;
}

const STREAM_TYPES: ReadonlySet<string> = new Set([
  "video",
  "audio",
  "subtitle",
  "data",
  "attachment",
]);

function parseStream(raw: unknown): ProbeStream | undefined {
  if (!isObject(raw)) return undefined;
  const index = integer(raw.index);
  if (index === undefined) return undefined;
  const kind = text(raw.codec_type);
  const disposition = isObject(raw.disposition) ? raw.disposition : {};
  const tags = isObject(raw.tags) ? raw.tags : {};
  const language = text(tags.language);
  return {
    index,
    type: kind && STREAM_TYPES.has(kind) ? kind as StreamType : "other",
    codec: text(raw.codec_name) ?? "unknown",
    ...optional("profile", text(raw.profile)),
    ...optional("bitRate", integer(raw.bit_rate)),
    ...optional("width", integer(raw.width)),
    ...optional("height", integer(raw.height)),
    ...optional("pixelFormat", text(raw.pix_fmt)),
    ...optional("frameRate", rate(raw.r_frame_rate)),
    ...optional("channels", integer(raw.channels)),
    ...optional("sampleRate", integer(raw.sample_rate)),
    ...optional("language", language),
    isDefault: disposition.default === 1,
    isPicture: disposition.attached_pic === 1,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * The stream a player shows: the first video stream that is not cover art.
 * @example
 * ```ts
 * const probe = parseMediaProbe('{"format":{"format_name":"avi"},"streams":[]}');
 * mainVideoStream(probe); // undefined
 * ```
 */
export function mainVideoStream(probe: MediaProbe): ProbeStream | undefined {
  return probe.streams.find((s) => s.type === "video" && !s.isPicture);
}

/**
 * The stream a player hears: the default audio stream, else the first one.
 * @example
 * ```ts
 * const probe = parseMediaProbe('{"format":{"format_name":"avi"},"streams":[]}');
 * mainAudioStream(probe); // undefined
 * ```
 */
export function mainAudioStream(probe: MediaProbe): ProbeStream | undefined {
  const audio = probe.streams.filter((s) => s.type === "audio");
  return audio.find((s) => s.isDefault) ?? audio[0];
}

/**
 * Parses the output of `ffprobe -of json -show_format -show_streams -show_entries
 * packet=stream_index,pts_time,flags` (see `probeArgs`).
 * @throws {TranscodeError} 422 when the text is not ffprobe JSON describing at least a format.
 * @example
 * ```ts
 * const probe = parseMediaProbe(JSON.stringify({
 *   format: { format_name: "avi", duration: "60.0", start_time: "0" },
 *   streams: [{ index: 0, codec_type: "video", codec_name: "mpeg4" }],
 * }));
 * probe.durationSeconds; // 60
 * ```
 */
export function parseMediaProbe(json: string): MediaProbe {
  let root: unknown;
  try {
    root = JSON.parse(json);
  } catch {
    throw new TranscodeError(422, "ffprobe printed no JSON");
  }
  if (!isObject(root) || !isObject(root.format)) {
    throw new TranscodeError(422, "ffprobe found no media container");
  }
  const format = root.format;
  const streams = (Array.isArray(root.streams) ? root.streams : [])
    .map(parseStream)
    .filter((s): s is ProbeStream => s !== undefined);
  const startSeconds = number(format.start_time) ?? 0;
  const duration = number(format.duration);
  const partial: MediaProbe = {
    format: text(format.format_name) ?? "unknown",
    ...optional("durationSeconds", duration !== undefined && duration > 0 ? duration : undefined),
    startSeconds,
    ...optional("bitRate", integer(format.bit_rate)),
    streams,
    keyframes: [],
  };
  const video = mainVideoStream(partial);
  const packets = Array.isArray(root.packets) ? root.packets : [];
  const keyframes = video === undefined ? [] : packets
    .filter((p): p is Json =>
      isObject(p) && p.stream_index === video.index && typeof p.flags === "string" &&
      p.flags.startsWith("K")
    )
    .map((p) => number(p.pts_time))
    .filter((t): t is number => t !== undefined && t >= startSeconds)
    .map((t) => t - startSeconds)
    .sort((a, b) => a - b);
  return { ...partial, keyframes };
}
