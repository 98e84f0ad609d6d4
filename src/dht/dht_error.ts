/**
 * The one error type of the DHT layer.
 * @module
 */

/**
 * A DHT failure with a one-line message: a malformed KRPC packet, a query that timed out or was
 * answered with a KRPC error, or a saved state that cannot be loaded.
 * @example
 * ```ts
 * try {
 *   decodeKrpc(new Uint8Array([0x64]));
 * } catch (e) {
 *   if (e instanceof DhtError) console.error(e.message);
 * }
 * ```
 */
export class DhtError extends Error {
  override name = "DhtError";
}
