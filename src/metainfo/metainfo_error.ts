/**
 * The one error type of the metainfo layer.
 * @module
 */

/**
 * A .torrent file we refuse, or a file or folder we cannot make a torrent from. The message is
 * one line and names the problem.
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
