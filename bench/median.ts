/**
 * The median of a few timed rounds, as every section's table shows it: for an even count the
 * upper of the middle two, the cautious pick when the figure is a time (the slower one) —
 * callers that rank rates pass times and derive the rate from the result.
 * @module
 */

/**
 * The median of `values` (upper median for an even count); `null` for none.
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * median([4, 1, 3, 2]); // 3
 * median([]); // null
 * ```
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
