/**
 * The one error type of the bencode layer.
 * @module
 */

/**
 * Malformed bencoded input, or a value that bencode cannot represent. The message is one line.
 * @example
 * ```ts
 * try {
 *   decodeBencode(new TextEncoder().encode("i01e"));
 * } catch (e) {
 *   if (e instanceof BencodeError) console.error(e.message);
 * }
 * ```
 */
export class BencodeError extends Error {
  override name = "BencodeError";
}
