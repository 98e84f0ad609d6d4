/**
 * Parses and validates a .torrent file (BEP 3, BEP 12 announce-list, BEP 27 private, BEP 47 pad
 * files, hybrid BEP 52 torrents by their v1 part) into a {@link Metainfo}.
 * @module
 */

import { BencodeError } from "../bencode/bencode_error.ts";
import {
  type BencodeDict,
  type BencodeValue,
  dictGet,
  isBencodeDict,
} from "../bencode/bencode_value.ts";
import { decodeBencode } from "../bencode/decode_bencode.ts";
import { rawInfoSpan } from "../bencode/scan_bencode.ts";
import { sha1, toHex, tryUtf8 } from "../util/bytes.ts";
import { checkHybridFiles } from "./check_hybrid_files.ts";
import { MetainfoError } from "./metainfo_error.ts";
import { parseFileList } from "./parse_file_list.ts";
import {
  isSafeRelativePath,
  type SanitizeOptions,
  sanitizePathComponent,
} from "./sanitize_path.ts";
import type { Metainfo } from "./types.ts";

/** libtorrent's bound (INT_MAX / 2); beyond it block arithmetic overflows in many clients. */
const MAX_PIECE_LENGTH = 2 ** 30 - 1;
/** BEP 52: v2 pieces are powers of two of at least one 16 KiB block. */
const MIN_V2_PIECE_LENGTH = 16384;

const lossy = new TextDecoder();

/** Optional text field, `key.utf-8` preferred; bytes that are not UTF-8 show as U+FFFD. */
function text(dict: BencodeDict, key: string): string | undefined {
  const value = dictGet(dict, `${key}.utf-8`) ?? dictGet(dict, key);
  return value instanceof Uint8Array ? lossy.decode(value) : undefined;
}

/** Trims ASCII whitespace; a URL that is not UTF-8 cannot be fetched and is dropped. */
function trackerUrl(value: BencodeValue): string {
  return value instanceof Uint8Array ? (tryUtf8(value) ?? "").trim() : "";
}

/**
 * BEP 12: `announce-list` tiers when it yields any URL, else `announce` alone. Empty, non-string
 * and repeated URLs are dropped, and so are tiers left empty.
 */
function announceTiers(root: BencodeDict): string[][] {
  const seen = new Set<string>();
  const tiers: string[][] = [];
  const list = dictGet(root, "announce-list");
  for (const tier of Array.isArray(list) ? list as readonly BencodeValue[] : []) {
    if (!Array.isArray(tier)) continue;
    const urls = (tier as readonly BencodeValue[]).map(trackerUrl).filter((url) => {
      if (url === "" || seen.has(url)) return false;
      seen.add(url);
      return true;
    });
    if (urls.length > 0) tiers.push(urls);
  }
  if (tiers.length > 0) return tiers;
  const announce = trackerUrl(dictGet(root, "announce") ?? 0);
  return announce ? [[announce]] : [];
}

/** Bytes after the closing `e` that are only whitespace (an editor's newline) are tolerated. */
function withoutTrailingWhitespace(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && [0x20, 0x09, 0x0a, 0x0d].includes(bytes[end - 1])) end--;
  return bytes.subarray(0, end);
}

function decodeRoot(bytes: Uint8Array): { root: BencodeDict; infoBytes: Uint8Array } {
  let root: BencodeValue;
  try {
    root = decodeBencode(bytes);
  } catch (e) {
    if (e instanceof BencodeError) throw new MetainfoError(`not a torrent file: ${e.message}`);
    throw e;
  }
  if (!isBencodeDict(root)) throw new MetainfoError("not a torrent file: not a bencoded dict");
  if (!isBencodeDict(dictGet(root, "info"))) {
    throw new MetainfoError("missing or invalid 'info' dict");
  }
  const span = rawInfoSpan(bytes)!;
  return { root, infoBytes: bytes.slice(span.start, span.end) };
}

function pieceLengthOf(info: BencodeDict, version: number): number {
  const pieceLength = dictGet(info, "piece length");
  if (typeof pieceLength !== "number" || pieceLength <= 0 || pieceLength > MAX_PIECE_LENGTH) {
    throw new MetainfoError("missing or invalid 'piece length'");
  }
  const powerOfTwo = (pieceLength & (pieceLength - 1)) === 0;
  if (version >= 2 && (pieceLength < MIN_V2_PIECE_LENGTH || !powerOfTwo)) {
    throw new MetainfoError(`'piece length' ${pieceLength} is not a power of two >= 16 KiB (v2)`);
  }
  return pieceLength;
}

/** The sanitized name; for a multi-file torrent an unusable name falls back to the hex hash. */
function nameOf(info: BencodeDict, multiFile: boolean, hashHex: string, options: SanitizeOptions) {
  const raw = dictGet(info, "name.utf-8") ?? dictGet(info, "name");
  if (!(raw instanceof Uint8Array) || (!multiFile && raw.length === 0)) {
    throw new MetainfoError("missing or invalid 'name'");
  }
  const name = sanitizePathComponent(raw, options);
  if (name !== "") return name;
  if (!multiFile) throw new MetainfoError("the file name is unusable after sanitizing");
  return hashHex;
}

function pieceHashesOf(info: BencodeDict, totalLength: number, pieceLength: number): Uint8Array {
  const pieces = dictGet(info, "pieces");
  if (!(pieces instanceof Uint8Array)) throw new MetainfoError("missing or invalid 'pieces'");
  const needed = Math.ceil(totalLength / pieceLength);
  if (pieces.length !== needed * 20) {
    throw new MetainfoError(
      `'pieces' has ${pieces.length} bytes, expected ${needed * 20} ` +
        `(${needed} hashes for ${totalLength} bytes in ${pieceLength}-byte pieces)`,
    );
  }
  return pieces;
}

/**
 * Parses a .torrent file. The info-hash is the SHA-1 of the `info` value's bytes exactly as they
 * appear in the file (never re-encoded), so torrents with unsorted keys hash like in libtorrent.
 * Every file path is sanitized ({@link sanitizePathComponent}) and deduplicated, so all stay
 * inside the download folder. Text that is not UTF-8 becomes `_` in paths and U+FFFD elsewhere.
 * Only whitespace may follow the top-level dict. Refuses, with a one-line {@link MetainfoError}:
 * malformed bencode, missing or wrong-typed keys, negative or non-integer lengths, a total of 0,
 * a `pieces` string that does not hold exactly one hash per piece, v2-only torrents, and hybrid
 * torrents whose v1 and v2 file lists disagree.
 * @example
 * ```ts
 * const m = await parseMetainfo(await Deno.readFile("x.torrent"));
 * console.log(m.name, m.infoHashHex, m.files.length);
 * ```
 */
export async function parseMetainfo(
  bytes: Uint8Array,
  options: SanitizeOptions = {},
): Promise<Metainfo> {
  const { root, infoBytes } = decodeRoot(withoutTrailingWhitespace(bytes));
  const info = dictGet(root, "info") as BencodeDict;
  const infoHash = await sha1(infoBytes);
  const infoHashHex = toHex(infoHash);

  const metaVersion = dictGet(info, "meta version");
  const version = typeof metaVersion === "number" ? metaVersion : 1;
  if (version > 2) throw new MetainfoError(`unsupported 'meta version' ${version}`);
  if (version === 2 && dictGet(info, "pieces") === undefined) {
    throw new MetainfoError("v2-only torrent (BEP 52 without v1 'pieces') is not supported");
  }
  const pieceLength = pieceLengthOf(info, version);
  const multiFile = Array.isArray(dictGet(info, "files"));
  const name = nameOf(info, multiFile, infoHashHex, options);
  const { files, totalLength } = parseFileList(info, name, options);
  if (totalLength === 0) throw new MetainfoError("the torrent has no content (total size 0)");
  if (version === 2) checkHybridFiles(info, files, multiFile, pieceLength);
  const pieceHashes = pieceHashesOf(info, totalLength, pieceLength);
  for (const file of files) {
    // Defense in depth: sanitizing guarantees this, and a bug there must not write outside.
    if (!isSafeRelativePath(file.path, options)) {
      throw new MetainfoError(`unsafe file path ${JSON.stringify(file.path.join("/"))}`);
    }
  }

  const privateFlag = dictGet(info, "private");
  const creationDate = dictGet(root, "creation date");
  return {
    infoHash,
    infoHashHex,
    infoBytes,
    name,
    pieceLength,
    pieceHashes,
    pieceCount: pieceHashes.length / 20,
    totalLength,
    files,
    multiFile,
    announceTiers: announceTiers(root),
    private: typeof privateFlag === "number" && privateFlag !== 0,
    comment: text(root, "comment"),
    createdBy: text(root, "created by"),
    creationDate: typeof creationDate === "number" && creationDate > 0 ? creationDate : undefined,
  };
}
