/**
 * A transfer rate over the last few seconds, fed with byte counts and sampled once a second.
 * @module
 */

/**
 * Bytes per second over a sliding window of recent ticks: quick to follow a change, and equal
 * to the true rate once the transfer is steady (an exponential average lags behind).
 * @example
 * ```ts
 * const meter = new RateMeter();
 * meter.add(1000);
 * meter.tick(1); // one second passed
 * meter.rate; // 1000
 * ```
 */
export class RateMeter {
  /** Bytes counted since creation. */
  total = 0;
  #sinceTick = 0;
  readonly #bytes: number[] = [];
  readonly #seconds: number[] = [];
  readonly #window: number;
  #rate = 0;

  /** @param windowTicks how many recent ticks the rate averages over. */
  constructor(windowTicks = 4) {
    this.#window = windowTicks;
  }

  add(bytes: number): void {
    this.total += bytes;
    this.#sinceTick += bytes;
  }

  /** Closes the current sample; `seconds` is the time since the last tick. */
  tick(seconds: number): void {
    if (seconds <= 0) return;
    this.#bytes.push(this.#sinceTick);
    this.#seconds.push(seconds);
    this.#sinceTick = 0;
    if (this.#bytes.length > this.#window) {
      this.#bytes.shift();
      this.#seconds.shift();
    }
    const bytes = this.#bytes.reduce((a, b) => a + b, 0);
    const time = this.#seconds.reduce((a, b) => a + b, 0);
    this.#rate = bytes / time;
  }

  /** Bytes per second as of the last tick. */
  get rate(): number {
    return this.#rate;
  }
}
