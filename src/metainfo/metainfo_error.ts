/**
 * The one error type of the metainfo layer.
 * @module
 */

/**
 * A .torrent file, magnet-free metainfo input or folder to make a torrent from that we refuse.
 * The message is one line and names the problem.
 * @example
 * ```ts
 * try {
 *   await parseMetainfo(bytes);
 * } catch (e) {
 *   if (e instanceof MetainfoError) console.error(`bad torrent: ${e.message}`);
 * }
 * ```
 */
export class MetainfoError extends Error {
  override name = "MetainfoError";
}
