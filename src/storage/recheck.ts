/**
 * Hash-checking data already on disk (a restart without a usable resume file, `--recheck`, the
 * `seed` command). Several pieces are in flight so that reading one overlaps hashing another.
 * @module
 */

import type { StoreWriter } from "./store_writer.ts";

/** Options for {@linkcode recheckPieces}. */
export interface RecheckOptions {
  /** Only these pieces (e.g. those whose files all exist); all by default. */
  readonly only?: (index: number) => boolean;
  /** Pieces checked at once. */
  readonly concurrency?: number;
  /** Called once per checked piece, in completion order. */
  readonly onPiece?: (index: number, ok: boolean) => void;
  readonly signal?: AbortSignal;
}

/**
 * Checks pieces `0..pieceCount-1` against their hashes; resolves with the indexes that verified.
 * @example
 * ```ts
 * const good = await recheckPieces(store, metainfo.pieceCount);
 * ```
 */
export async function recheckPieces(
  store: StoreWriter,
  pieceCount: number,
  options: RecheckOptions = {},
): Promise<number[]> {
  const good: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < pieceCount) {
      options.signal?.throwIfAborted();
      const index = next++;
      if (options.only && !options.only(index)) continue;
      const ok = await store.checkPiece(index);
      if (ok) good.push(index);
      options.onPiece?.(index, ok);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return good.sort((a, b) => a - b);
}
