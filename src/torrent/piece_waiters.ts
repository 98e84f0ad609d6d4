/**
 * Readers waiting for pieces: a streaming read parks on the piece it needs and wakes when that
 * piece is verified.
 * @module
 */

/**
 * Waiters by piece index.
 * @example
 * ```ts
 * const waiters = new PieceWaiters();
 * const ready = waiters.wait(3, signal);
 * waiters.wake(3); // `ready` resolves
 * ```
 */
export class PieceWaiters {
  readonly #waiting = new Map<number, Set<() => void>>();

  /** Resolves at `wake(index)`; rejects with the signal's reason if it aborts first. */
  wait(index: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiters = this.#waiting.get(index) ?? new Set();
      this.#waiting.set(index, waiters);
      const woken = () => {
        signal.removeEventListener("abort", aborted);
        resolve();
      };
      const aborted = () => {
        waiters.delete(woken);
        reject(signal.reason);
      };
      waiters.add(woken);
      signal.addEventListener("abort", aborted, { once: true });
    });
  }

  /** Wakes everyone waiting for `index`. */
  wake(index: number): void {
    const waiters = this.#waiting.get(index);
    this.#waiting.delete(index);
    for (const woken of waiters ?? []) woken();
  }

  /** How many are waiting (for tests and the UI). */
  get size(): number {
    let n = 0;
    for (const set of this.#waiting.values()) n += set.size;
    return n;
  }
}
