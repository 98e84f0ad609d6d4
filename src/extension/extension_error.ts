/**
 * The one error type of the extension layer (BEP 10 extension protocol, BEP 9 metadata exchange,
 * BEP 11 peer exchange).
 * @module
 */

/**
 * A malformed extension message from a peer, or a value that cannot be sent. The message is one
 * line. A peer session that gets one for a received message drops that message (or the peer);
 * it never ends the torrent.
 * @example
 * ```ts
 * try {
 *   decodeExtendedHandshake(payload);
 * } catch (e) {
 *   if (e instanceof ExtensionError) console.error(`peer sent a bad handshake: ${e.message}`);
 * }
 * ```
 */
export class ExtensionError extends Error {
  override name = "ExtensionError";
}
