/**
 * A ReadableStream over a byte range of a torrent that yields bytes as soon as their pieces are
 * verified. While it is open, its read position drives a streaming priority window, so the
 * pieces a player needs next are fetched first; cancelling it drops that priority.
 * @module
 */

import type { ByteRange } from "./piece_priorities.ts";

/** What a range reader needs from its torrent. */
export interface RangeReaderHost {
  readonly pieceLength: number;
  /** Resolves when piece `index` is verified (at once if it is). Rejects if the torrent stops. */
  waitForPiece(index: number, signal: AbortSignal): Promise<void>;
  /** Reads verified bytes of the torrent. */
  readBytes(start: number, length: number): Promise<Uint8Array>;
  openWindow(range: ByteRange): number;
  moveWindow(id: number, position: number): void;
  closeWindow(id: number): void;
}

/** Largest chunk a read yields: one piece, at most 1 MiB. */
const MAX_CHUNK = 1 << 20;

/**
 * Bytes `[range.start, range.end)` of the torrent, in order.
 * @example
 * ```ts
 * const stream = readRange(torrentHost, { start: 0, end: 1 << 20 });
 * for await (const chunk of stream) player.write(chunk);
 * ```
 */
export function readRange(host: RangeReaderHost, range: ByteRange): ReadableStream<Uint8Array> {
  let position = range.start;
  let window: number | undefined;
  const abort = new AbortController();
  const close = () => {
    abort.abort();
    if (window !== undefined) host.closeWindow(window);
    window = undefined;
  };
  return new ReadableStream<Uint8Array>({
    start() {
      if (range.end > range.start) window = host.openWindow(range);
    },
    async pull(controller) {
      if (position >= range.end) {
        close();
        controller.close();
        return;
      }
      const piece = Math.floor(position / host.pieceLength);
      try {
        await host.waitForPiece(piece, abort.signal);
        const pieceEnd = (piece + 1) * host.pieceLength;
        const length = Math.min(range.end, pieceEnd, position + MAX_CHUNK) - position;
        const bytes = await host.readBytes(position, length);
        position += length;
        if (window !== undefined) host.moveWindow(window, position);
        controller.enqueue(bytes);
      } catch (error) {
        close();
        controller.error(error);
      }
    },
    cancel() {
      close();
    },
  }, { highWaterMark: 0 });
}
