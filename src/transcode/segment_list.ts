/**
 * The completion list ffmpeg's segment muxer keeps (`-segment_list_type csv`): one line
 * `<file>,<start>,<end>` per finished segment, appended as each one closes. Pure.
 * @module
 */

/** A segment ffmpeg reported finished. */
export interface ListedSegment {
  /** The number in its file name `<n>.ts`. */
  readonly segment: number;
  /** Start and end in seconds, relative to the run's first timestamp. */
  readonly startSeconds: number;
  readonly endSeconds: number;
}

const LINE = /(?:^|\/)(0|[1-9][0-9]{0,8})\.ts,(\d+(?:\.\d+)?),(\d+(?:\.\d+)?)$/;

/**
 * Parses the list's complete lines (a last line without its newline may still be being written
 * and is skipped), ignoring any line that is not one of our `<n>.ts` files.
 * @example
 * ```ts
 * parseSegmentList("/tmp/run/5.ts,0.000000,6.080000\n/tmp/run/6.ts,6.08");
 * // [{ segment: 5, startSeconds: 0, endSeconds: 6.08 }]
 * ```
 */
export function parseSegmentList(text: string): ListedSegment[] {
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  return complete.split("\n").flatMap((line) => {
    const match = LINE.exec(line.trim());
    return match
      ? [{
        segment: Number(match[1]),
        startSeconds: Number(match[2]),
        endSeconds: Number(match[3]),
      }]
      : [];
  });
}
