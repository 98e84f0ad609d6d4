/**
 * Test media made at test time from ffmpeg's lavfi sources (a counter test card and a sine tone),
 * small (320x240) so encoding is quick on two cores. Nothing binary is committed.
 * @module
 */

/** The fixtures: name → ffmpeg output options (after the two lavfi inputs). */
export const MEDIA = {
  /** H.264/AAC with a keyframe every 6 s (HLS copies it), moov first. */
  "h264_aac.mp4": [
    ...["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"],
    ...["-g", "150", "-keyint_min", "150", "-sc_threshold", "0"],
    ...["-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart"],
  ],
  /** MPEG-4 Part 2 + MP2 in AVI (HLS transcodes both; remux copies both). */
  "mpeg4_mp2.avi": ["-c:v", "mpeg4", "-q:v", "6", "-c:a", "mp2", "-b:a", "128k"],
  /** H.264 with x264's default keyframes (every 10 s: not on the 6 s grid) + AC-3, in MKV. */
  "h264_ac3.mkv": [
    ...["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"],
    ...["-c:a", "ac3", "-b:a", "192k"],
  ],
} as const;

/** A fixture's file name. */
export type MediaName = keyof typeof MEDIA;

/**
 * Writes `seconds` of test card (`size`, 25 fps) + tone as `dir/name`, encoded as `outputArgs`
 * (by default, as `MEDIA[name]` says).
 * @example
 * ```ts ignore
 * await makeMedia(dir, "h264_aac.mp4", 60);
 * ```
 */
export async function makeMedia(
  dir: string,
  name: string,
  seconds: number,
  outputArgs: readonly string[] = MEDIA[name as MediaName],
  size = "320x240",
): Promise<string> {
  const path = `${dir}/${name}`;
  const { code, stderr } = await new Deno.Command("ffmpeg", {
    args: [
      ...["-nostdin", "-v", "error", "-y"],
      ...["-f", "lavfi", "-i", `testsrc=size=${size}:rate=25:duration=${seconds}`],
      ...["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
      ...outputArgs,
      path,
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) throw new Error(`making ${name} failed: ${new TextDecoder().decode(stderr)}`);
  return path;
}

/** What ffprobe says of a file or URL: codec names and the first timestamp of each stream. */
export interface ProbedStreams {
  readonly codecs: string[];
  readonly startTimes: number[];
  readonly duration: number;
}

/**
 * Runs ffprobe on `input` (a path or URL).
 * @example
 * ```ts ignore
 * (await probeStreams("seg.ts")).codecs; // ["h264", "aac"]
 * ```
 */
export async function probeStreams(input: string): Promise<ProbedStreams> {
  const { code, stdout, stderr } = await new Deno.Command("ffprobe", {
    args: ["-v", "error", "-of", "json", "-show_streams", "-show_format", input],
    stdin: "null",
  }).output();
  if (code !== 0) throw new Error(`ffprobe ${input}: ${new TextDecoder().decode(stderr)}`);
  const parsed = JSON.parse(new TextDecoder().decode(stdout));
  const streams = parsed.streams as { codec_name: string; start_time: string }[];
  return {
    codecs: streams.map((s) => s.codec_name),
    startTimes: streams.map((s) => Number(s.start_time)),
    duration: Number(parsed.format.duration),
  };
}

/**
 * Decodes `input` (or its first `seconds`) with ffmpeg to nothing; returns ffmpeg's stderr,
 * which is empty when decoding found no error (`-v error`).
 * @example
 * ```ts ignore
 * await decodeErrors("http://127.0.0.1:8080/0/hls/index.m3u8", 5); // ""
 * ```
 */
export async function decodeErrors(input: string, seconds?: number): Promise<string> {
  const { code, stderr } = await new Deno.Command("ffmpeg", {
    args: [
      ...["-nostdin", "-v", "error", "-xerror", "-i", input],
      ...(seconds === undefined ? [] : ["-t", String(seconds)]),
      ...["-f", "null", "-"],
    ],
    stdin: "null",
    stdout: "null",
  }).output();
  const text = new TextDecoder().decode(stderr).trim();
  return code === 0 ? text : `exit ${code}: ${text}`;
}

/**
 * Decodes `input` and counts the video frames ffprobe reads.
 * @example
 * ```ts ignore
 * await countVideoFrames("http://127.0.0.1:8080/0/hls/index.m3u8"); // 1500
 * ```
 */
export async function countVideoFrames(input: string): Promise<number> {
  const { code, stdout, stderr } = await new Deno.Command("ffprobe", {
    args: [
      ...["-v", "error", "-select_streams", "v:0", "-count_frames"],
      ...["-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", input],
    ],
    stdin: "null",
  }).output();
  if (code !== 0) throw new Error(`ffprobe ${input}: ${new TextDecoder().decode(stderr)}`);
  // A program's streams are listed again under it: take the first figure.
  return Number(new TextDecoder().decode(stdout).trim().split("\n")[0]);
}
