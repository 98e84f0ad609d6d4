/**
 * A transfer rate smoothed over a few seconds, fed with byte counts and sampled once a second.
 * @module
 */

/**
 * Exponentially smoothed bytes per second.
 * @example
 * ```ts
 * const meter = new RateMeter();
 * meter.add(1000);
 * meter.tick(1); // one second passed
 * meter.rate; // > 0
 * ```
 */
export class RateMeter {
  /** Bytes counted since creation. */
  total = 0;
  #sinceTick = 0;
  #rate = 0;
  readonly #halfLifeSeconds: number;

  constructor(halfLifeSeconds = 2) {
    this.#halfLifeSeconds = halfLifeSeconds;
  }

  add(bytes: number): void {
    this.total += bytes;
    this.#sinceTick += bytes;
  }

  /** Folds the bytes since the last tick into the rate; `seconds` is the time since then. */
  tick(seconds: number): void {
    if (seconds <= 0) return;
    const instant = this.#sinceTick / seconds;
    const keep = Math.pow(0.5, seconds / this.#halfLifeSeconds);
    this.#rate = this.#rate * keep + instant * (1 - keep);
    this.#sinceTick = 0;
  }

  /** Smoothed bytes per second as of the last tick. */
  get rate(): number {
    return this.#rate;
  }
}
