/**
 * Made segments, kept in a size-capped folder and reused: a player seeking back, or a second
 * player, gets them without ffmpeg. Least recently used segments go first.
 * @module
 */

/** What the eviction policy needs to know about a cached segment. */
export interface CacheEntry {
  readonly key: string;
  readonly bytes: number;
  /** Monotonic use counter or time; larger is more recent. */
  readonly lastUsed: number;
}

/**
 * Keys to evict so the rest fits in `capBytes`: least recently used first, never the most
 * recently used entry (a single segment larger than the cap is still served once).
 * @example
 * ```ts
 * pickEvictions([
 *   { key: "a", bytes: 60, lastUsed: 1 },
 *   { key: "b", bytes: 60, lastUsed: 2 },
 * ], 100); // ["a"]
 * ```
 */
export function pickEvictions(entries: readonly CacheEntry[], capBytes: number): string[] {
  const byAge = [...entries].sort((a, b) => a.lastUsed - b.lastUsed);
  let total = entries.reduce((sum, e) => sum + e.bytes, 0);
  const evicted: string[] = [];
  for (const entry of byAge.slice(0, -1)) {
    if (total <= capBytes) break;
    evicted.push(entry.key);
    total -= entry.bytes;
  }
  return evicted;
}

/**
 * Segments of several files in one folder (`<file>-<n>.ts`). Files are only ever replaced by
 * rename and removed by unlink, so a reader that has a segment open keeps reading it whole.
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * const cache = new SegmentCache(dir, 1 << 20);
 * await Deno.writeTextFile(`${dir}/made.ts`, "x");
 * await cache.put(0, 5, `${dir}/made.ts`);
 * cache.get(0, 5); // `${dir}/0-5.ts`
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class SegmentCache {
  readonly #dir: string;
  readonly #capBytes: number;
  readonly #entries = new Map<string, { bytes: number; lastUsed: number }>();
  #clock = 0;

  constructor(dir: string, capBytes: number) {
    this.#dir = dir;
    this.#capBytes = capBytes;
  }

  /** Path of cached segment `n` of file `fileId`, marked as just used; `undefined` if absent. */
  get(fileId: number, n: number): string | undefined {
    const key = `${fileId}-${n}`;
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    entry.lastUsed = ++this.#clock;
    return this.#path(key);
  }

  /** Moves the finished segment at `madePath` into the cache, then evicts down to the cap. */
  async put(fileId: number, n: number, madePath: string): Promise<void> {
    const key = `${fileId}-${n}`;
    const { size } = await Deno.stat(madePath);
    await Deno.rename(madePath, this.#path(key));
    this.#entries.set(key, { bytes: size, lastUsed: ++this.#clock });
    const entries = [...this.#entries].map(([key, e]) => ({ key, ...e }));
    for (const victim of pickEvictions(entries, this.#capBytes)) {
      this.#entries.delete(victim);
      await Deno.remove(this.#path(victim)).catch(() => {});
    }
  }

  /** Bytes held now. */
  get bytes(): number {
    let total = 0;
    for (const entry of this.#entries.values()) total += entry.bytes;
    return total;
  }

  #path(key: string): string {
    return `${this.#dir}/${key}.ts`;
  }
}
