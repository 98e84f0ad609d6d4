/**
 * The contract between the streaming HTTP server and the engine: a torrent's files, and a way to
 * read any byte range of one as soon as its pieces verify. The server only ever talks to this.
 * @module
 */

/** One file a {@linkcode StreamSource} can serve. */
export interface StreamFile {
  /** The file's index in the torrent (its position in `Metainfo.files`, padding files included). */
  readonly index: number;
  /** Path below the torrent's folder, elements joined with `/`. */
  readonly path: string;
  /** Length in bytes. */
  readonly length: number;
}

/**
 * A torrent seen as a set of readable files.
 * @example
 * ```ts
 * const data = new Uint8Array(1000);
 * const source: StreamSource = {
 *   name: "demo",
 *   files: [{ index: 0, path: "demo.mp4", length: data.length }],
 *   read: (_file, start, end) =>
 *     new ReadableStream({ start(c) { c.enqueue(data.slice(start, end)); c.close(); } }),
 * };
 * ```
 */
export interface StreamSource {
  /** Display name (the torrent's name). */
  readonly name: string;
  /** The files that may be streamed (padding files left out); read on every request. */
  readonly files: readonly StreamFile[];
  /**
   * Bytes [start, end) of a file, yielded as soon as their pieces verify. While the stream is open
   * those bytes have top priority (the engine moves its priority window there); cancelling the
   * stream drops it.
   */
  read(fileIndex: number, start: number, end: number): ReadableStream<Uint8Array>;
}
