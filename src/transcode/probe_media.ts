/**
 * Running ffprobe on a source URL.
 * @module
 */

import { probeArgs } from "./ffmpeg_args.ts";
import { lastLine, type MediaProcess, spawnMediaProcess } from "./ffmpeg_process.ts";
import { type MediaProbe, parseMediaProbe } from "./media_probe.ts";
import { TranscodeError } from "./transcode_error.ts";

/**
 * Probes `sourceUrl` with ffprobe, sampling the packets of its first `sampleSeconds`.
 * @throws {TranscodeError} 422 when ffprobe cannot read it as media.
 * @example
 * ```ts ignore
 * const probe = await probeMedia("/usr/bin/ffprobe", "http://127.0.0.1:8080/0/a.mkv", 13, () => {});
 * ```
 */
export async function probeMedia(
  ffprobePath: string,
  sourceUrl: string,
  sampleSeconds: number,
  onSpawn: (process: MediaProcess) => void,
): Promise<MediaProbe> {
  const process = spawnMediaProcess(ffprobePath, probeArgs(sourceUrl, sampleSeconds), "piped");
  onSpawn(process);
  const [json, exit] = await Promise.all([new Response(process.stdout).text(), process.exited]);
  if (process.stopping) throw new TranscodeError(503, "transcoder is closed");
  if (exit.code !== 0) {
    throw new TranscodeError(422, `ffprobe could not read the file: ${lastLine(exit.stderr)}`);
  }
  return parseMediaProbe(json);
}
