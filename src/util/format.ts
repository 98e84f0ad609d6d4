/**
 * Human-readable sizes, rates and durations for the TUI, the plain progress line and the CLI.
 * Binary units (KiB = 1024 bytes), one decimal place above bytes.
 * @module
 */

const UNITS = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

/**
 * A byte count such as "1.5 KiB" or "512 B".
 * @example
 * ```ts
 * formatBytes(1536); // "1.5 KiB"
 * ```
 */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return "? B";
  const sign = n < 0 ? "-" : "";
  let v = Math.abs(n);
  if (v < 1024) return `${sign}${Math.round(v)} B`;
  let unit = -1;
  // Promote before rounding would print "1024.0".
  while (unit < UNITS.length - 1 && v >= 1023.95) {
    v /= 1024;
    unit++;
  }
  return `${sign}${v.toFixed(1)} ${UNITS[unit]}`;
}

/**
 * A transfer rate in bytes per second, such as "1.5 KiB/s".
 * @example
 * ```ts
 * formatRate(1536); // "1.5 KiB/s"
 * ```
 */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/**
 * A duration in whole seconds, two units at most: "12s", "3m05s", "1h02m", "2d04h".
 * Negative or non-finite durations print as "∞" (an ETA that cannot be estimated).
 * @example
 * ```ts
 * formatDuration(3725); // "1h02m"
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "∞";
  const s = Math.round(seconds);
  const two = (n: number) => String(n).padStart(2, "0");
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d${two(Math.floor((s % 86400) / 3600))}h`;
}
