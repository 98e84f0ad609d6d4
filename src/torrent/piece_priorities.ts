/**
 * Where each piece's priority comes from: the files' priorities, byte ranges asked for with
 * `prioritize`, and the windows of open streaming reads. Pure: recomputes a priority a piece,
 * the torrent hands it to the picker.
 * @module
 */

import { Priority } from "../picker/piece_picker.ts";
import type { FileLayout } from "../storage/file_layout.ts";
import type { FilePriority } from "./snapshot.ts";

/** The picker priority of each file priority. */
export const FILE_PRIORITY: Readonly<Record<FilePriority, number>> = {
  skip: Priority.Skip,
  low: Priority.Low,
  normal: Priority.Normal,
  high: Priority.High,
};

/** Bytes ahead of a reader's position that are fetched with streaming priority. */
export const READAHEAD_BYTES = 8 * 1024 * 1024;
/** Streaming priorities run from `Priority.Max` (the piece being read) down to this floor. */
const STREAM_FLOOR = Priority.High + 1;

/** A byte range of the torrent (end exclusive). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The sources of piece priority, combined.
 * @example
 * ```ts
 * const plan = new PiecePriorities(layout);
 * const id = plan.openWindow({ start: 0, end: 1 << 20 });
 * plan.compute(); // Uint8Array, one priority a piece
 * plan.closeWindow(id);
 * ```
 */
export class PiecePriorities {
  readonly #layout: FileLayout;
  readonly #files: FilePriority[];
  readonly #ranges = new Map<number, ByteRange & { priority: number }>();
  readonly #windows = new Map<number, ByteRange & { position: number }>();
  #nextId = 1;

  constructor(layout: FileLayout) {
    this.#layout = layout;
    this.#files = layout.files.map(() => "normal");
  }

  filePriority(fileIndex: number): FilePriority {
    return this.#files[fileIndex];
  }

  setFilePriority(fileIndex: number, priority: FilePriority): void {
    this.#files[fileIndex] = priority;
  }

  /** A lasting priority for a byte range; returns an id for {@linkcode removeRange}. */
  addRange(range: ByteRange, priority: number): number {
    const id = this.#nextId++;
    this.#ranges.set(id, { ...range, priority });
    return id;
  }

  removeRange(id: number): void {
    this.#ranges.delete(id);
  }

  /** A streaming read of `range`: pieces from its position on get the top priorities. */
  openWindow(range: ByteRange): number {
    const id = this.#nextId++;
    this.#windows.set(id, { ...range, position: range.start });
    return id;
  }

  /** The read moved on: pieces behind `position` are no longer urgent. */
  moveWindow(id: number, position: number): void {
    const window = this.#windows.get(id);
    if (window) this.#windows.set(id, { ...window, position });
  }

  closeWindow(id: number): void {
    this.#windows.delete(id);
  }

  /** True while some streaming read is open. */
  get streaming(): boolean {
    return this.#windows.size > 0;
  }

  /** One priority a piece: the highest any source gives it. */
  compute(): Uint8Array {
    const layout = this.#layout;
    const out = new Uint8Array(layout.pieceCount);
    layout.files.forEach((file, i) => {
      if (file.pad) return;
      const { first, last } = layout.filePieces(i);
      const value = FILE_PRIORITY[this.#files[i]];
      for (let p = first; p <= last; p++) out[p] = Math.max(out[p], value);
    });
    for (const range of this.#ranges.values()) {
      this.#forPieces(range, (p) => (out[p] = Math.max(out[p], range.priority)));
    }
    for (const w of this.#windows.values()) {
      const end = Math.min(w.end, w.position + READAHEAD_BYTES);
      let rank = 0;
      // The piece being read is most urgent, the next one a little less, and so on.
      this.#forPieces({ start: w.position, end }, (p) => {
        out[p] = Math.max(out[p], Math.max(STREAM_FLOOR, Priority.Max - rank++));
      });
    }
    return out;
  }

  #forPieces(range: ByteRange, visit: (piece: number) => void): void {
    if (range.end <= range.start) return;
    const first = Math.floor(range.start / this.#layout.pieceLength);
    const last = Math.min(
      this.#layout.pieceCount - 1,
      Math.floor((range.end - 1) / this.#layout.pieceLength),
    );
    for (let p = first; p <= last; p++) visit(p);
  }
}
