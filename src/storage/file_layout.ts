/**
 * Where each byte of a torrent lives on disk: pieces are laid over the concatenation of the
 * files, so one piece may span several files. Pure arithmetic, no I/O.
 * @module
 */

import type { FileEntry } from "../metainfo/types.ts";

/** A run of bytes inside one file. */
export interface FileSegment {
  readonly fileIndex: number;
  /** Offset in the file. */
  readonly fileOffset: number;
  /** Offset in the byte range that was asked for. */
  readonly rangeOffset: number;
  readonly length: number;
}

/**
 * Maps piece ranges to file segments.
 * @example
 * ```ts
 * const layout = new FileLayout(
 *   [{ path: ["a"], length: 3, offset: 0, pad: false }, { path: ["b"], length: 5, offset: 3, pad: false }],
 *   4,
 * );
 * layout.segments(0, 0, 4); // a[0..3) then b[0..1)
 * ```
 */
export class FileLayout {
  readonly files: readonly FileEntry[];
  readonly pieceLength: number;
  readonly totalLength: number;
  readonly pieceCount: number;

  constructor(files: readonly FileEntry[], pieceLength: number) {
    this.files = files;
    this.pieceLength = pieceLength;
    const last = files[files.length - 1];
    this.totalLength = last ? last.offset + last.length : 0;
    this.pieceCount = Math.ceil(this.totalLength / pieceLength);
  }

  /** Length of piece `index` (the last one may be short). */
  pieceSize(index: number): number {
    if (index < 0 || index >= this.pieceCount) throw new RangeError(`piece ${index} out of range`);
    return Math.min(this.pieceLength, this.totalLength - index * this.pieceLength);
  }

  /** The file segments covering `length` bytes at `begin` in piece `index`, in order. */
  segments(index: number, begin: number, length: number): FileSegment[] {
    return this.rangeSegments(index * this.pieceLength + begin, length);
  }

  /** The file segments covering a byte range of the whole torrent, in order. */
  rangeSegments(start: number, length: number): FileSegment[] {
    if (start < 0 || length < 0 || start + length > this.totalLength) {
      throw new RangeError(`range ${start}+${length} outside the torrent`);
    }
    const out: FileSegment[] = [];
    const end = start + length;
    for (let i = this.fileAt(start); i < this.files.length && length > 0; i++) {
      const file = this.files[i];
      const fileEnd = file.offset + file.length;
      if (fileEnd <= start) continue;
      if (file.offset >= end) break;
      const from = Math.max(start, file.offset);
      const to = Math.min(end, fileEnd);
      if (to <= from) continue; // an empty file holds no bytes of any piece
      out.push({
        fileIndex: i,
        fileOffset: from - file.offset,
        rangeOffset: from - start,
        length: to - from,
      });
    }
    return out;
  }

  /** First and last piece touching file `fileIndex` (an empty file touches none: last < first). */
  filePieces(fileIndex: number): { first: number; last: number } {
    const file = this.files[fileIndex];
    const first = Math.floor(file.offset / this.pieceLength);
    if (file.length === 0) return { first, last: first - 1 };
    return { first, last: Math.floor((file.offset + file.length - 1) / this.pieceLength) };
  }

  /** Index of the first file containing byte `offset` (binary search; skips empty files). */
  fileAt(offset: number): number {
    let lo = 0;
    let hi = this.files.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const f = this.files[mid];
      if (f.offset + f.length <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
