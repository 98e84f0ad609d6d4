/**
 * The one door through which piece data reaches storage. The torrent hands it whole pieces; it
 * checks them against their SHA-1 and writes only data that verified.
 * @module
 */

import type { FileLayout } from "./file_layout.ts";

/** Raised when storage fails (disk full, permission denied): fatal for the torrent. */
export class StoreError extends Error {
  override name = "StoreError";
}

/**
 * Storage for one torrent's pieces.
 * @example
 * ```ts
 * const ok = await store.writePiece(0, pieceBytes); // false: the data did not hash right
 * const block = await store.read(0, 0, 16384);
 * await store.close();
 * ```
 */
export interface StoreWriter {
  /**
   * Verifies `data` against piece `index`'s SHA-1; writes it and resolves true when it matches,
   * resolves false (writing nothing) when it does not. Rejects with {@linkcode StoreError} when
   * the write fails.
   */
  writePiece(index: number, data: Uint8Array): Promise<boolean>;
  /** Creates what holds no piece data (empty files), so a complete download has every file. */
  createEmptyFiles(): Promise<void>;
  /**
   * A buffer for a piece being downloaded, ready to be handed to `writePiece`. Stores that take
   * buffers over recycle them here, so a download allocates a few buffers, not one a piece.
   */
  allocatePiece?(size: number): Uint8Array;
  /**
   * Reads bytes of a piece that was written before: into `into` (of `length` bytes) when given,
   * so callers can reuse buffers, else into a new array. Resolves to the bytes read.
   */
  read(index: number, begin: number, length: number, into?: Uint8Array): Promise<Uint8Array>;
  /** Reads piece `index` back from storage and checks its hash (recheck and resume). */
  checkPiece(index: number): Promise<boolean>;
  /** Makes every write so far durable (fdatasync), before state that vouches for it is saved. */
  flush(): Promise<void>;
  /** Bytes handed to `writePiece` and not yet written: the torrent stops requesting when high. */
  readonly pendingBytes: number;
  /** Waits for pending writes, then releases files. */
  close(): Promise<void>;
}

/**
 * A store of files on disk: what resume data and file selection need besides
 * {@linkcode StoreWriter}.
 * @example
 * ```ts
 * const store: DiskStore = new FileStore(metainfo, "downloads");
 * await store.setSkipped(2, true);
 * ```
 */
export interface DiskStore extends StoreWriter {
  /** Pieces laid over files. */
  readonly layout: FileLayout;
  /** Each file's path on disk, in torrent order. */
  readonly paths: readonly string[];
  /** Skips a file (not created; its bytes in shared pieces go to a parts file) or takes it back. */
  setSkipped(fileIndex: number, skipped: boolean): Promise<void>;
  isSkipped(fileIndex: number): boolean;
}
