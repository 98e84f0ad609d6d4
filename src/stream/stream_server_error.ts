/**
 * The one error type of the stream server: bad options, a port that cannot be bound, a source that
 * breaks its promise. The message is one line fit for the CLI.
 * @module
 */

/**
 * The stream server could not do what was asked; the message says why in one line.
 * @example
 * ```ts
 * throw new StreamServerError("cannot listen on 127.0.0.1:8888: address in use");
 * ```
 */
export class StreamServerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StreamServerError";
  }
}
