/**
 * The one error type of the transcoding layer: a one-line message plus the HTTP status a request
 * that hit it should get.
 * @module
 */

/**
 * A transcoding failure with the HTTP status to answer with (404 unknown file, 422 unreadable
 * media, 501 no ffmpeg, 502 ffmpeg failed, 503 busy or superseded).
 * @example
 * ```ts
 * const error = new TranscodeError(404, "no file with index 7");
 * console.log(error.status, error.message);
 * ```
 */
export class TranscodeError extends Error {
  /** HTTP status for the request that failed. */
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "TranscodeError";
    this.status = status;
  }
}
