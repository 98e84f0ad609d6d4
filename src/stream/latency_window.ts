/**
 * The last and median of recent seek latencies: a bounded window of samples, so a seek an hour ago
 * no longer weighs on the figure the TUI shows.
 * @module
 */

/** A summary of recent samples, in milliseconds; absent fields mean no sample yet. */
export interface LatencySummary {
  readonly lastMs?: number;
  readonly medianMs?: number;
  /** Samples ever added (not only those in the window). */
  readonly count: number;
}

/**
 * Keeps the most recent `capacity` samples.
 * @example
 * ```ts
 * const window = new LatencyWindow(3);
 * for (const ms of [10, 50, 20, 30]) window.add(ms);
 * window.summary(); // { lastMs: 30, medianMs: 30, count: 4 } (median of 50, 20, 30)
 * ```
 */
export class LatencyWindow {
  readonly #samples: number[] = [];
  #count = 0;

  constructor(readonly capacity = 32) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`latency window capacity must be a positive integer, got ${capacity}`);
    }
  }

  /** Records one latency in milliseconds. */
  add(ms: number): void {
    this.#samples.push(ms);
    if (this.#samples.length > this.capacity) this.#samples.shift();
    this.#count++;
  }

  /** The last sample and the median of the window (mean of the middle two for an even count). */
  summary(): LatencySummary {
    const n = this.#samples.length;
    if (n === 0) return { count: 0 };
    const sorted = [...this.#samples].sort((a, b) => a - b);
    const middle = n >> 1;
    const medianMs = n % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    return { lastMs: this.#samples[n - 1], medianMs, count: this.#count };
  }
}
