/**
 * Whether a video's keyframes fall on a fixed grid, so HLS segments can be cut from it without
 * re-encoding. Stream copy can only cut at keyframes, and a restarted ffmpeg (after a seek) must
 * cut at the very same places as a continuous run, so copy is only used for a regular cadence.
 * Pure.
 * @module
 */

/** Keyframes every `periodSeconds`, the first at `offsetSeconds` after the file's start. */
export interface KeyframeCadence {
  readonly periodSeconds: number;
  readonly offsetSeconds: number;
}

/** Matroska stores milliseconds, so each timestamp may be off by half of one. */
const TOLERANCE_SECONDS = 0.0025;
/** A first keyframe later than this is no regular grid we can seek to. */
const MAX_OFFSET_SECONDS = 0.5;

/**
 * The regular keyframe cadence seen in `keyframes` (seconds from the start, ascending), or
 * `undefined` when there are fewer than three keyframes or the intervals differ. With a known
 * `frameRate` the period is snapped to a whole number of frames, so it does not drift over a
 * long file.
 * @example
 * ```ts
 * keyframeCadence([0.021, 2.021, 4.021, 6.021]); // { periodSeconds: 2, offsetSeconds: 0.021 }
 * keyframeCadence([0, 10, 13]); // undefined
 * ```
 */
export function keyframeCadence(
  keyframes: readonly number[],
  frameRate?: number,
): KeyframeCadence | undefined {
  if (keyframes.length < 3) return undefined;
  const first = keyframes[0];
  if (first > MAX_OFFSET_SECONDS) return undefined;
  const fits = (period: number) =>
    keyframes.every((t, i) => Math.abs(t - first - i * period) <= TOLERANCE_SECONDS);
  let period = (keyframes[keyframes.length - 1] - first) / (keyframes.length - 1);
  if (!(period > 0) || !fits(period)) return undefined;
  if (frameRate !== undefined) {
    const snapped = Math.round(period * frameRate) / frameRate;
    if (snapped > 0 && fits(snapped)) period = snapped;
  }
  return { periodSeconds: period, offsetSeconds: first };
}

/**
 * The HLS segment length for stream copy: the whole number of keyframe periods closest to
 * `targetSeconds`, or `undefined` when one period alone is longer than twice the target.
 * @example
 * ```ts
 * copySegmentSeconds({ periodSeconds: 2, offsetSeconds: 0 }, 6); // 6
 * copySegmentSeconds({ periodSeconds: 1001 / 500, offsetSeconds: 0 }, 6); // 6.006
 * ```
 */
export function copySegmentSeconds(
  cadence: KeyframeCadence,
  targetSeconds: number,
): number | undefined {
  const periods = Math.max(1, Math.round(targetSeconds / cadence.periodSeconds));
  const seconds = periods * cadence.periodSeconds;
  return seconds <= 2 * targetSeconds ? seconds : undefined;
}
