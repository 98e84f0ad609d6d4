/**
 * A {@linkcode StreamSource} over in-memory files that behaves like a download in progress: bytes
 * come in small chunks with a pause between them, bytes past `availableBytes` never come (not
 * downloaded yet), and every read records when it was opened and whether it was cancelled.
 * @module
 */

import type { StreamFile, StreamSource } from "../../src/stream/stream_source.ts";

/** One `read()` call and what became of it. */
export interface ReadRecord {
  readonly fileIndex: number;
  readonly start: number;
  readonly end: number;
  /** Bytes handed out so far. */
  delivered: number;
  cancelled: boolean;
}

/** The fake source plus what the tests inspect. */
export interface FakeSource extends StreamSource {
  readonly reads: ReadRecord[];
  /** Content of the file with torrent index `index`. */
  bytesOf(index: number): Uint8Array;
}

/** Deterministic content: byte i of file f is (i * 7 + f * 13 + (i >> 8)) & 255. */
export function patternBytes(length: number, salt = 0): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 7 + salt * 13 + (i >> 8)) & 255);
}

/**
 * Builds a fake source. `files[i].index` defaults to i; `availableBytes` (per read, counted from
 * the start of the file) defaults to the whole file.
 * @example
 * ```ts
 * const source = fakeSource("t", [{ path: "a.mp4", data: patternBytes(1000) }]);
 * ```
 */
export function fakeSource(
  name: string,
  files: readonly { path: string; data: Uint8Array; index?: number }[],
  { chunkSize = 16 * 1024, delayMs = 2, availableBytes = Infinity } = {},
): FakeSource {
  const entries = files.map((f, i) => ({ index: f.index ?? i, path: f.path, data: f.data }));
  const reads: ReadRecord[] = [];
  const listed: StreamFile[] = entries.map(({ index, path, data }) => ({
    index,
    path,
    length: data.length,
  }));
  const dataOf = (index: number) => {
    const entry = entries.find((e) => e.index === index);
    if (!entry) throw new Error(`fake source has no file ${index}`);
    return entry.data;
  };
  return {
    name,
    files: listed,
    reads,
    bytesOf: dataOf,
    read(fileIndex, start, end) {
      const data = dataOf(fileIndex);
      const record: ReadRecord = { fileIndex, start, end, delivered: 0, cancelled: false };
      reads.push(record);
      let position = start;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let wake: (() => void) | undefined;
      const wait = (ms: number) =>
        new Promise<void>((resolve) => {
          wake = resolve;
          if (Number.isFinite(ms)) timer = setTimeout(resolve, ms);
        });
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          await wait(position >= availableBytes ? Infinity : delayMs);
          if (record.cancelled) return;
          const n = Math.min(chunkSize, end - position, availableBytes - position);
          controller.enqueue(data.slice(position, position + n));
          position += n;
          record.delivered += n;
          if (position >= end) controller.close();
        },
        cancel() {
          record.cancelled = true;
          clearTimeout(timer);
          wake?.();
        },
      }, { highWaterMark: 0 });
    },
  };
}
