/**
 * HLS for one file: serves segments from the cache, or has a {@linkcode SegmentRun} make them.
 * A request far from where the current run is (a seek) restarts ffmpeg there; a run that gets
 * `readAhead` segments ahead of the player, or that nobody asked anything of for `idleMs`, is
 * stopped, and restarted ahead of the player when it nears the end of what is cached.
 * @module
 */

import type { HlsPlan } from "./codec_plan.ts";
import type { MediaProcess } from "./ffmpeg_process.ts";
import type { ProcessSlots } from "./process_slots.ts";
import type { SegmentCache } from "./segment_cache.ts";
import { SegmentRun } from "./segment_run.ts";
import { TranscodeError } from "./transcode_error.ts";

/** Everything an {@linkcode HlsFile} works with. */
export interface HlsFileOptions {
  readonly fileId: number;
  readonly sourceUrl: string;
  readonly plan: HlsPlan;
  readonly segmentCount: number;
  readonly cache: SegmentCache;
  readonly slots: ProcessSlots;
  /** Folder for run scratch folders. */
  readonly workDir: string;
  readonly ffmpegPath: string;
  /** Segments a run may get ahead of the last one asked for before it is stopped. */
  readonly readAhead: number;
  readonly onSpawn: (process: MediaProcess) => void;
}

/** A request this many segments past what the run has made waits for it rather than seeking. */
const WAIT_SLACK = 2;
/** On a cache hit, a run is started if one of the next this-many segments is missing. */
const PREFETCH = 2;

interface Waiter {
  readonly segment: number;
  resolve(path: string): void;
  reject(error: TranscodeError): void;
}

/**
 * The HLS state of one file.
 * @example
 * ```ts ignore
 * const file = new HlsFile(options);
 * const path = await file.segment(7, request.signal); // a finished segment in the cache
 * ```
 */
export class HlsFile {
  readonly #options: HlsFileOptions;
  readonly #waiters = new Set<Waiter>();
  #run: SegmentRun | undefined;
  #runs = 0;
  #lastActive = Date.now();
  #lastRequested = 0;
  #closed = false;

  constructor(options: HlsFileOptions) {
    this.#options = options;
  }

  /** Segments in the file's playlist. */
  get segmentCount(): number {
    return this.#options.segmentCount;
  }

  /** Path of finished segment `n` in the cache, made now if need be. */
  segment(n: number, signal?: AbortSignal): Promise<string> {
    if (this.#closed) return Promise.reject(new TranscodeError(503, "transcoder is closed"));
    this.#lastActive = Date.now();
    this.#lastRequested = n;
    const cached = this.#options.cache.get(this.#options.fileId, n);
    if (cached) {
      this.#prefetch(n);
      return Promise.resolve(cached);
    }
    return new Promise<string>((resolve, reject) => {
      const waiter: Waiter = {
        segment: n,
        resolve: (path) => {
          this.#waiters.delete(waiter);
          signal?.removeEventListener("abort", onAbort);
          resolve(path);
        },
        reject: (error) => {
          this.#waiters.delete(waiter);
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      const onAbort = () => waiter.reject(new TranscodeError(499, "the client went away"));
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.add(waiter);
      if (!this.#covers(this.#run, n)) this.#startRun(n, true);
    });
  }

  /** Stops the run if it has been idle (no waiter, no request) for `idleMs`. */
  stopIfIdle(now: number, idleMs: number): void {
    if (this.#run && this.#waiters.size === 0 && now - this.#lastActive > idleMs) {
      void this.#run.stop();
    }
  }

  /** Stops the run and fails every waiting request. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of [...this.#waiters]) {
      waiter.reject(new TranscodeError(503, "transcoder is closed"));
    }
    await this.#run?.stop();
  }

  #covers(run: SegmentRun | undefined, n: number): boolean {
    return run !== undefined && !run.stopRequested && run.start <= n &&
      n <= run.next + WAIT_SLACK;
  }

  /** After a cache hit: keep a run going ahead of the player, unless one is on its way. */
  #prefetch(n: number): void {
    const last = Math.min(this.#options.segmentCount - 1, n + PREFETCH);
    for (let k = n + 1; k <= last; k++) {
      if (this.#options.cache.get(this.#options.fileId, k)) continue;
      if (this.#covers(this.#run, k) || this.#run?.busy()) return;
      this.#startRun(k, false);
      return;
    }
  }

  /** Replaces the file's run by one starting at `n` (`wait: false` gives up if all slots are busy). */
  #startRun(n: number, wait: boolean): void {
    const options = this.#options;
    const previous = this.#run;
    const run: SegmentRun = new SegmentRun({
      ffmpegPath: options.ffmpegPath,
      fileKey: options.sourceUrl,
      target: {
        sourceUrl: options.sourceUrl,
        plan: options.plan,
        startSegment: n,
        dir: `${options.workDir}/${options.fileId}-run${++this.#runs}`,
      },
      lastSegment: options.segmentCount - 1,
      onSegment: (k, path) => this.#onSegment(run, k, path),
      busy: () => this.#waiters.size > 0,
      lastActive: () => this.#lastActive,
      onSpawn: options.onSpawn,
    });
    this.#run = run;
    run.finished.then((end) => this.#onRunEnd(run, end.kind === "failed" ? end.message : ""));
    // Waiters the new run will not reach (another position in the same file) are let go.
    for (const waiter of [...this.#waiters]) {
      if (
        !this.#covers(run, waiter.segment) && previous && this.#covers(previous, waiter.segment)
      ) {
        waiter.reject(
          new TranscodeError(503, `superseded by a request for segment ${n} of this file`),
        );
      }
    }
    void previous?.stop();
    void run.launch(options.slots, { wait });
  }

  async #onSegment(run: SegmentRun, k: number, path: string): Promise<void> {
    await this.#options.cache.put(this.#options.fileId, k, path);
    for (const waiter of [...this.#waiters]) {
      if (waiter.segment === k) waiter.resolve(this.#options.cache.get(this.#options.fileId, k)!);
    }
    if (
      run === this.#run && this.#waiters.size === 0 &&
      k >= this.#lastRequested + this.#options.readAhead
    ) {
      void run.stop();
    }
  }

  /** Settles the waiters a finished run leaves behind: served, failed, or handed to a new run. */
  #onRunEnd(run: SegmentRun, failure: string): void {
    if (this.#run === run) this.#run = undefined;
    if (this.#closed) return;
    let restartAt: number | undefined;
    for (const waiter of [...this.#waiters]) {
      const cached = this.#options.cache.get(this.#options.fileId, waiter.segment);
      if (cached) waiter.resolve(cached);
      else if (this.#covers(this.#run, waiter.segment)) continue;
      else if (failure !== "") {
        waiter.reject(new TranscodeError(502, `ffmpeg failed: ${failure}`));
      } else if (!run.stopRequested && run.start <= waiter.segment) {
        waiter.reject(
          new TranscodeError(502, `ffmpeg ended without making segment ${waiter.segment}`),
        );
      } else restartAt = Math.min(restartAt ?? waiter.segment, waiter.segment);
    }
    if (restartAt !== undefined && this.#run === undefined) this.#startRun(restartAt, true);
  }
}
