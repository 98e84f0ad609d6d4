/**
 * The one error type of the tracker layer: every failure to announce (unreachable tracker, timeout,
 * malformed reply, the tracker's own `failure reason`) surfaces as a {@linkcode TrackerError} with a
 * one-line message fit for the UI's tracker list.
 * @module
 */

/**
 * A tracker announce failed; the message says why in one line.
 * @example
 * ```ts
 * throw new TrackerError("tracker said: unregistered torrent");
 * ```
 */
export class TrackerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TrackerError";
  }
}

/**
 * Text a tracker sent (failure reason, warning, UDP error) made safe for one line of UI: decoded
 * leniently as UTF-8, control characters replaced, cut to `max` characters.
 * @example
 * ```ts
 * trackerText(new TextEncoder().encode("bad\nhash")); // "bad hash"
 * ```
 */
export function trackerText(bytes: Uint8Array, max = 200): string {
  // deno-lint-ignore no-control-regex -- control characters are exactly what must go
  const text = new TextDecoder().decode(bytes).replace(/[\x00-\x1f\x7f]+/g, " ").trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * The tracker answered with an error of its own (HTTP `failure reason`, BEP 15 error reply): it
 * is up but will not serve this announce. The message is `tracker said: <its text>`.
 * @example
 * ```ts
 * throw new TrackerRefusal("unregistered torrent");
 * ```
 */
export class TrackerRefusal extends TrackerError {
  constructor(trackerMessage: string) {
    super(`tracker said: ${trackerMessage}`);
    this.name = "TrackerRefusal";
  }
}
