/**
 * One segmenting ffmpeg for one file, started at some segment: it writes `<n>.ts` files and a
 * completion list into a scratch folder; each segment is handed on once ffmpeg has provably
 * finished it.
 * @module
 */

import { segmentArgs, type SegmentRunTarget } from "./ffmpeg_args.ts";
import { lastLine, type MediaProcess, spawnMediaProcess } from "./ffmpeg_process.ts";
import type { ProcessSlots, SlotHolder } from "./process_slots.ts";
import { parseSegmentList } from "./segment_list.ts";

/** How a run ended: it reached the end of the file, was stopped by us, or ffmpeg failed. */
export type RunEnd =
  | { readonly kind: "complete" }
  | { readonly kind: "stopped" }
  | { readonly kind: "failed"; readonly message: string };

/** What a run needs from its file. */
export interface SegmentRunOptions {
  readonly ffmpegPath: string;
  readonly fileKey: string;
  readonly target: SegmentRunTarget;
  /** The playlist's last segment; ffmpeg's tail beyond it is not used. */
  readonly lastSegment: number;
  /** Takes over finished segment `n` (moves the file away). */
  onSegment(n: number, path: string): Promise<void>;
  /** Slot policy: whether a client waits on this file, and when it was last asked for. */
  busy(): boolean;
  lastActive(): number;
  /** Told about the process once spawned (for stopping everything on close). */
  onSpawn(process: MediaProcess): void;
}

const POLL_MS = 100;

/**
 * A segmenting run; a {@linkcode SlotHolder}, so it only spawns once it has a slot.
 * @example
 * ```ts ignore
 * const run = new SegmentRun(options);
 * void run.launch(slots, { wait: true });
 * const end = await run.finished;
 * ```
 */
export class SegmentRun implements SlotHolder {
  /** First segment this run makes. */
  readonly start: number;
  readonly fileKey: string;
  /** Settles once the run is over (never launched, stopped, or exited) and its folder is gone. */
  readonly finished: Promise<RunEnd>;
  readonly #options: SegmentRunOptions;
  readonly #abort = new AbortController();
  readonly #finish: (end: RunEnd) => void;
  #next: number;
  #stopRequested = false;
  #process: MediaProcess | undefined;

  constructor(options: SegmentRunOptions) {
    this.#options = options;
    this.start = options.target.startSegment;
    this.fileKey = options.fileKey;
    this.#next = this.start;
    const { promise, resolve } = Promise.withResolvers<RunEnd>();
    this.finished = promise;
    this.#finish = resolve;
  }

  /** The next segment it will hand on. */
  get next(): number {
    return this.#next;
  }

  /** Whether {@linkcode SegmentRun.stop} was called. */
  get stopRequested(): boolean {
    return this.#stopRequested;
  }

  busy(): boolean {
    return this.#options.busy();
  }

  lastActive(): number {
    return this.#options.lastActive();
  }

  /** Waits for a slot (or gives up, with `wait: false`), then spawns ffmpeg. */
  async launch(slots: ProcessSlots, { wait }: { wait: boolean }): Promise<void> {
    let granted = false;
    try {
      granted = await slots.acquire(this, { wait, signal: this.#abort.signal });
    } catch {
      // Aborted by stop() while queued.
    }
    if (!granted || this.#stopRequested) {
      if (granted) slots.release(this);
      this.#finish({ kind: "stopped" });
      return;
    }
    const { dir } = this.#options.target;
    let end: RunEnd = { kind: "stopped" };
    try {
      await Deno.mkdir(dir, { recursive: true });
      if (!this.#stopRequested) end = await this.#spawnAndCollect();
    } catch (error) {
      end = { kind: "failed", message: error instanceof Error ? error.message : String(error) };
    } finally {
      await this.#process?.stop();
      slots.release(this);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      this.#finish(end);
    }
  }

  async #spawnAndCollect(): Promise<RunEnd> {
    const process = spawnMediaProcess(
      this.#options.ffmpegPath,
      segmentArgs(this.#options.target),
      "null",
    );
    this.#process = process;
    this.#options.onSpawn(process);
    const exit = await this.#collect(process);
    if (process.stopping) return { kind: "stopped" };
    return exit.code === 0
      ? { kind: "complete" }
      : { kind: "failed", message: lastLine(exit.stderr) };
  }

  /** Stops ffmpeg (or the wait for a slot); resolves once the run is over. */
  async stop(): Promise<void> {
    this.#stopRequested = true;
    this.#abort.abort();
    await this.#process?.stop();
    await this.finished;
  }

  /** Polls the completion list until ffmpeg exits, then once more. */
  async #collect(process: MediaProcess) {
    let exit: Awaited<MediaProcess["exited"]> | undefined;
    process.exited.then((e) => (exit = e));
    while (exit === undefined) {
      await this.#poll(undefined);
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        process.exited,
        new Promise((resolve) => (timer = setTimeout(resolve, POLL_MS))),
      ]);
      clearTimeout(timer);
    }
    await this.#poll(exit);
    return exit;
  }

  /**
   * Hands on listed segments in order. A listed segment is finished when ffmpeg has opened the
   * next one; the last listed one only when ffmpeg ended on its own at the end of the file (one
   * closed by a stop or an error is cut short).
   */
  async #poll(exit: { code: number } | undefined): Promise<void> {
    const { dir } = this.#options.target;
    let listed;
    try {
      listed = parseSegmentList(await Deno.readTextFile(`${dir}/list.csv`));
    } catch {
      return; // no list yet
    }
    for (const { segment } of listed) {
      if (segment !== this.#next || this.#next > this.#options.lastSegment) continue;
      const nextOpened = await exists(`${dir}/${segment + 1}.ts`);
      const endedCleanly = exit?.code === 0 && !this.#process?.stopping &&
        segment === this.#options.lastSegment;
      if (!nextOpened && !endedCleanly) return;
      await this.#options.onSegment(segment, `${dir}/${segment}.ts`);
      this.#next = segment + 1;
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
