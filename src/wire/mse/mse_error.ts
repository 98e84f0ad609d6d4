/**
 * The one error of the MSE handshake: whatever a peer sends that does not follow the protocol
 * (no sync within the bound, unknown torrent, bad lengths, closed early) ends that connection
 * with it, and the connection code turns it into a refused peer, never a crash.
 * @module
 */

import { WireError } from "../messages.ts";

/**
 * Raised when an MSE handshake fails; the connection is dropped.
 * @example
 * ```ts
 * try {
 *   throw new MseError("no common crypto method");
 * } catch (error) {
 *   error instanceof WireError; // true
 * }
 * ```
 */
export class MseError extends WireError {
  override name = "MseError";
}
