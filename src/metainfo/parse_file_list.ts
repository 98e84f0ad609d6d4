/**
 * The v1 file list of an info dict (BEP 3 single- and multi-file, BEP 47 pad files and symlinks)
 * turned into sanitized, collision-free {@link FileEntry} values.
 * @module
 */

import {
  type BencodeDict,
  type BencodeValue,
  dictGet,
  isBencodeDict,
} from "../bencode/bencode_value.ts";
import { MetainfoError } from "./metainfo_error.ts";
import { dedupePaths, type SanitizeOptions, sanitizePath } from "./sanitize_path.ts";
import type { FileEntry } from "./types.ts";

/** The files of a torrent in torrent order, with their total length. */
export interface FileList {
  readonly files: FileEntry[];
  readonly multiFile: boolean;
  readonly totalLength: number;
}

/** BitComet's pad files predate BEP 47 and are recognized by name only. */
const BITCOMET_PAD = "_____padding_file_";
const latin = new TextDecoder("latin1");

/** A non-negative safe integer under `key`, or undefined. */
function lengthOf(dict: BencodeDict, key: string): number | undefined {
  const value = dictGet(dict, key);
  return typeof value === "number" && value >= 0 ? value : undefined;
}

/** A list of byte strings under `key` (`undefined` if absent); throws if an element is not. */
function byteList(dict: BencodeDict, key: string, what: string): Uint8Array[] | undefined {
  const value = dictGet(dict, key);
  if (!Array.isArray(value)) return undefined;
  const list: readonly BencodeValue[] = value;
  if (!list.every((e) => e instanceof Uint8Array)) {
    throw new MetainfoError(`${what} has a path element that is not a string`);
  }
  return list as Uint8Array[];
}

/**
 * The raw path elements of one `files` entry, preferring `path.utf-8` like libtorrent; undefined
 * when neither is a list. Throws {@link MetainfoError} if an element is not a byte string.
 * @example
 * ```ts
 * rawFilePath(fileDict, "files[0]"); // [Uint8Array "dir", Uint8Array "a.txt"]
 * ```
 */
export function rawFilePath(file: BencodeDict, what: string): Uint8Array[] | undefined {
  return byteList(file, "path.utf-8", what) ?? byteList(file, "path", what);
}

interface Parsed {
  readonly path: readonly string[];
  readonly length: number;
  readonly pad: boolean;
  readonly symlinkTarget?: readonly string[];
}

function parseFile(
  value: BencodeValue,
  index: number,
  root: string,
  options: SanitizeOptions,
): Parsed {
  const what = `files[${index}]`;
  if (!isBencodeDict(value)) throw new MetainfoError(`${what} is not a dict`);
  const attrBytes = dictGet(value, "attr");
  const attr = attrBytes instanceof Uint8Array ? latin.decode(attrBytes) : "";
  const isLink = attr.includes("l");
  // A symlink takes no space in the content, whatever `length` says (libtorrent does the same).
  const length = isLink ? 0 : lengthOf(value, "length");
  if (length === undefined) throw new MetainfoError(`${what} has a missing or invalid 'length'`);
  let pad = attr.includes("p");
  const raw = rawFilePath(value, what);
  let path: string[];
  if (raw && raw.length > 0) {
    path = [root, ...sanitizePath(raw, options)];
  } else if (pad) {
    path = [".pad", String(length)];
  } else {
    throw new MetainfoError(`${what} has no 'path'`);
  }
  if (path.join("/").includes(BITCOMET_PAD)) pad = true;
  const target = isLink ? byteList(value, "symlink path", `${what} symlink`) : undefined;
  if (!target) return { path, length, pad };
  return { path, length, pad, symlinkTarget: target.length ? sanitizePath(target, options) : [] };
}

/**
 * Reads `files` (or `length` for a single-file torrent) from an info dict. `name` is the
 * torrent's sanitized name, the folder every file of a multi-file torrent goes in. Throws
 * {@link MetainfoError} for a missing or wrong-typed length or path, negative lengths, an empty
 * list, or a total beyond 2^53.
 * @example
 * ```ts
 * const { files } = parseFileList(info, "name", {}); // files[0].path[0] === "name"
 * ```
 */
export function parseFileList(info: BencodeDict, name: string, options: SanitizeOptions): FileList {
  const list = dictGet(info, "files");
  if (!Array.isArray(list)) {
    const length = lengthOf(info, "length");
    if (length === undefined) throw new MetainfoError("missing or invalid 'length' of the file");
    return {
      files: [{ path: [name], length, offset: 0, pad: false }],
      multiFile: false,
      totalLength: length,
    };
  }
  const entries: readonly BencodeValue[] = list;
  if (entries.length === 0) throw new MetainfoError("the torrent lists no files");
  const parsed = entries.map((value, i) => parseFile(value, i, name, options));
  const paths = dedupePaths(parsed);
  let offset = 0;
  const files = parsed.map((file, i): FileEntry => {
    const entry: FileEntry = { ...file, path: paths[i], offset };
    offset += file.length;
    if (!Number.isSafeInteger(offset)) throw new MetainfoError("total size is too large");
    return entry;
  });
  return { files, multiFile: true, totalLength: offset };
}
