/**
 * A rate limit as a token bucket: tokens accrue at a fixed rate up to a burst size, and sending
 * `n` bytes costs `n` tokens.
 * @module
 */

/**
 * A token bucket that never blocks: {@linkcode TokenBucket.take} either takes the tokens or says
 * how long to wait, so the caller can keep doing other work (sending protocol messages) meanwhile.
 * @example
 * ```ts
 * const bucket = new TokenBucket(1024 * 1024); // 1 MiB/s, a one-second burst
 * const waitMs = bucket.take(16384);
 * if (waitMs === 0) sendBlock();
 * else setTimeout(retry, waitMs);
 * ```
 */
export class TokenBucket {
  /** Tokens added per second. */
  readonly rate: number;
  /** Most tokens the bucket holds (it starts full). */
  readonly burst: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  /**
   * @param rate tokens per second, > 0.
   * @param options.burst the bucket's size (default: one second's worth).
   * @param options.now clock in milliseconds (default `performance.now`); tests pass a fake one.
   */
  constructor(rate: number, options: { burst?: number; now?: () => number } = {}) {
    const burst = options.burst ?? rate;
    if (!(rate > 0) || !Number.isFinite(rate)) {
      throw new RangeError(`token bucket rate must be a positive number, got ${rate}`);
    }
    if (!(burst > 0) || !Number.isFinite(burst)) {
      throw new RangeError(`token bucket burst must be a positive number, got ${burst}`);
    }
    this.rate = rate;
    this.burst = burst;
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = burst;
    this.#updatedAt = this.#now();
  }

  /** Tokens available now (negative after a take larger than what was there). */
  get tokens(): number {
    this.#refill();
    return this.#tokens;
  }

  /**
   * Takes `amount` tokens and returns 0, or takes nothing and returns the milliseconds until
   * they will be there. An amount larger than the burst is taken once the bucket is full,
   * leaving it in debt, so no amount waits forever.
   */
  take(amount: number): number {
    this.#refill();
    const needed = Math.min(amount, this.burst);
    if (this.#tokens >= needed) {
      this.#tokens -= amount;
      return 0;
    }
    // At least 1 ms: a caller that sleeps 0 ms would spin.
    return Math.max(1, Math.ceil(((needed - this.#tokens) / this.rate) * 1000));
  }

  #refill(): void {
    const now = this.#now();
    const elapsed = Math.max(0, now - this.#updatedAt);
    this.#updatedAt = now;
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsed / 1000) * this.rate);
  }
}
