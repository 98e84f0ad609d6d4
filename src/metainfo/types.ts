/**
 * The shape of a parsed .torrent (BEP 3, BEP 12, BEP 47), shared by every layer above metainfo.
 * @module
 */

/** One file of a torrent, in torrent order. */
export interface FileEntry {
  /** Path components below the download folder, already sanitized (never `..`, empty or absolute). */
  readonly path: readonly string[];
  /** Length in bytes. */
  readonly length: number;
  /** Byte offset of the file's first byte in the torrent's concatenated content. */
  readonly offset: number;
  /** BEP 47 padding file: counts in offsets, is never written to disk. */
  readonly pad: boolean;
  /**
   * BEP 47 symlink (`attr` has `l`): the link's target, path elements below the torrent's root
   * folder, sanitized. Such an entry has length 0; a client that does not make links may write an
   * empty file in its place.
   */
  readonly symlinkTarget?: readonly string[];
}

/** A parsed, validated metainfo file. */
export interface Metainfo {
  /** SHA-1 of the raw `info` dict bytes, 20 bytes. */
  readonly infoHash: Uint8Array;
  /** `infoHash` as lower-case hex. */
  readonly infoHashHex: string;
  /** The raw bytes of the `info` dict exactly as in the file (served to peers by BEP 9). */
  readonly infoBytes: Uint8Array;
  /** Display name (the `name` key, sanitized as a path component). */
  readonly name: string;
  readonly pieceLength: number;
  /** Concatenated 20-byte SHA-1 piece hashes. */
  readonly pieceHashes: Uint8Array;
  readonly pieceCount: number;
  readonly totalLength: number;
  /** Files in torrent order. A single-file torrent has one entry whose path is `[name]`. */
  readonly files: readonly FileEntry[];
  /** True for a multi-file torrent (files live under a folder called `name`). */
  readonly multiFile: boolean;
  /** Announce URLs grouped in tiers (BEP 12); `announce` alone becomes one tier. */
  readonly announceTiers: readonly (readonly string[])[];
  /** BEP 27 private flag. */
  readonly private: boolean;
  readonly comment?: string;
  readonly createdBy?: string;
  /** Seconds since the epoch. */
  readonly creationDate?: number;
}
