/**
 * The ffmpeg budget: at most one process per file and `max` in all. A new process for a file
 * replaces that file's old one; when all slots are taken, the least recently active process that
 * nobody is waiting on is stopped; if every one is busy, the newcomer waits for a free slot.
 * @module
 */

import { TranscodeError } from "./transcode_error.ts";

/** Something that holds a slot: an HLS run or a remux stream of one file. */
export interface SlotHolder {
  /** The file it works on; one holder per file. */
  readonly fileKey: string;
  /** Whether a client is waiting on it right now (busy holders are not evicted). */
  busy(): boolean;
  /** When it last served a request (any monotonic number; larger is more recent). */
  lastActive(): number;
  /** Stops its process; resolves once the process has exited. */
  stop(): Promise<void>;
}

/** A holder as the eviction policy sees it. */
export interface SlotView {
  readonly fileKey: string;
  readonly busy: boolean;
  readonly lastActive: number;
}

/**
 * The holder to stop so a process for `fileKey` can start: that file's own holder if it has one
 * (busy or not); else, when all `max` slots are taken, the least recently active idle holder;
 * `undefined` when a slot is free or every holder is busy.
 * @example
 * ```ts
 * pickSlotVictim([
 *   { fileKey: "a", busy: false, lastActive: 5 },
 *   { fileKey: "b", busy: false, lastActive: 3 },
 * ], "c", 2); // "b"
 * ```
 */
export function pickSlotVictim(
  holders: readonly SlotView[],
  fileKey: string,
  max: number,
): string | undefined {
  if (holders.some((h) => h.fileKey === fileKey)) return fileKey;
  if (holders.length < max) return undefined;
  const idle = holders.filter((h) => !h.busy).sort((a, b) => a.lastActive - b.lastActive);
  return idle[0]?.fileKey;
}

/**
 * The slot table. Acquisitions are served one at a time, in order.
 * @example
 * ```ts
 * const slots = new ProcessSlots(2);
 * const holder = { fileKey: "a", busy: () => false, lastActive: () => 0, stop: async () => {} };
 * await slots.acquire(holder, { wait: true });
 * slots.release(holder);
 * ```
 */
export class ProcessSlots {
  readonly #max: number;
  readonly #holders = new Map<string, SlotHolder>();
  #queue: Promise<unknown> = Promise.resolve();
  #freed = Promise.withResolvers<void>();

  constructor(max: number) {
    this.#max = max;
  }

  /** Holders now. */
  get size(): number {
    return this.#holders.size;
  }

  /**
   * Makes room for `holder` (stopping its file's previous holder, or an idle one) and records it.
   * With `wait: false`, gives up (returns false) instead of waiting for a busy slot to free.
   * @throws {TranscodeError} 499 if `signal` aborts while waiting.
   */
  acquire(
    holder: SlotHolder,
    options: { wait: boolean; signal?: AbortSignal },
  ): Promise<boolean> {
    const turn = this.#queue.then(() => this.#acquireNow(holder, options));
    this.#queue = turn.catch(() => {});
    return turn;
  }

  /** Forgets `holder` (its process has exited); wakes a waiting acquisition. */
  release(holder: SlotHolder): void {
    if (this.#holders.get(holder.fileKey) !== holder) return;
    this.#holders.delete(holder.fileKey);
    this.#freed.resolve();
    this.#freed = Promise.withResolvers<void>();
  }

  async #acquireNow(
    holder: SlotHolder,
    { wait, signal }: { wait: boolean; signal?: AbortSignal },
  ): Promise<boolean> {
    while (true) {
      if (signal?.aborted) throw new TranscodeError(499, "the client went away");
      const views = [...this.#holders.values()].map((h) => ({
        fileKey: h.fileKey,
        busy: h.busy(),
        lastActive: h.lastActive(),
      }));
      const victimKey = pickSlotVictim(views, holder.fileKey, this.#max);
      if (victimKey !== undefined) {
        const victim = this.#holders.get(victimKey)!;
        await victim.stop();
        this.release(victim);
        continue;
      }
      if (this.#holders.size < this.#max) {
        this.#holders.set(holder.fileKey, holder);
        return true;
      }
      if (!wait) return false;
      // Holders turn idle without releasing (their client left), so look again now and then.
      await waitOrAbort(this.#freed.promise, RECHECK_MS, signal);
    }
  }
}

const RECHECK_MS = 250;

/** Resolves when `promise` does or after `ms`; rejects if `signal` aborts first. */
function waitOrAbort(promise: Promise<void>, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      finish();
      reject(new TranscodeError(499, "the client went away"));
    };
    const timer = setTimeout(() => {
      finish();
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
    promise.then(() => {
      finish();
      resolve();
    });
  });
}
