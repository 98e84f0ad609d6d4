/**
 * `/remux.ts`: the whole file as one MPEG-TS, streamed from ffmpeg's stdout as it is made.
 * @module
 */

import type { PlannedStream } from "./codec_plan.ts";
import { remuxArgs } from "./ffmpeg_args.ts";
import { lastLine, type MediaProcess, spawnMediaProcess } from "./ffmpeg_process.ts";
import type { ProcessSlots, SlotHolder } from "./process_slots.ts";
import { TranscodeError } from "./transcode_error.ts";

/** What a remux needs. */
export interface RemuxOptions {
  readonly ffmpegPath: string;
  readonly sourceUrl: string;
  readonly streams: readonly PlannedStream[];
  readonly slots: ProcessSlots;
  readonly onSpawn: (process: MediaProcess) => void;
  /** The client's request signal: leaving stops ffmpeg. */
  readonly signal?: AbortSignal;
}

/**
 * Starts ffmpeg (once it has a slot; a remux is always busy, so it is never evicted for another
 * file, only replaced by a newer request for the same file) and answers once the first bytes
 * exist, so a file ffmpeg cannot read gets a 502 rather than an empty 200.
 * @example
 * ```ts ignore
 * const response = await remuxResponse({ ffmpegPath, sourceUrl, streams, slots, onSpawn });
 * ```
 */
export async function remuxResponse(options: RemuxOptions): Promise<Response> {
  // Filled in once spawned; the slot table may stop the holder before or after that.
  const state: { process?: MediaProcess; stopped: boolean } = { stopped: false };
  const holder: SlotHolder = {
    fileKey: options.sourceUrl,
    busy: () => true,
    lastActive: () => Date.now(),
    stop: async () => {
      state.stopped = true;
      await state.process?.stop();
    },
  };
  await options.slots.acquire(holder, { wait: true, signal: options.signal });
  if (state.stopped) {
    options.slots.release(holder);
    throw new TranscodeError(503, "superseded by a newer request for this file");
  }
  const spawned = spawnMediaProcess(
    options.ffmpegPath,
    remuxArgs(options.sourceUrl, options.streams),
    "piped",
  );
  state.process = spawned;
  options.onSpawn(spawned);
  spawned.exited.then(() => options.slots.release(holder));
  // Until the response exists, a client leaving is seen on its signal; after, as a cancelled body.
  const stop = () => void spawned.stop();
  options.signal?.addEventListener("abort", stop, { once: true });
  const reader = spawned.stdout!.getReader();
  const first = await reader.read();
  options.signal?.removeEventListener("abort", stop);
  if (first.done) {
    const exit = await spawned.exited;
    throw new TranscodeError(502, `ffmpeg failed: ${lastLine(exit.stderr)}`);
  }
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(first.value);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await spawned.stop();
      await reader.cancel().catch(() => {});
    },
  });
  return new Response(body, {
    headers: { "content-type": "video/mp2t", "cache-control": "no-store" },
  });
}
