/**
 * Consistency of a hybrid (BEP 52 v1+v2) torrent: we download by its v1 data, but a peer may
 * use the v2 `file tree`, so both must describe the same files, or we would disagree on content.
 * @module
 */

import {
  type BencodeDict,
  bencodeKeyString,
  dictGet,
  isBencodeDict,
} from "../bencode/bencode_value.ts";
import { MetainfoError } from "./metainfo_error.ts";
import { rawFilePath } from "./parse_file_list.ts";
import type { FileEntry } from "./types.ts";

interface TreeFile {
  readonly path: readonly string[];
  readonly length: number;
}

const utf8 = new TextEncoder();

/** bencode orders dict keys by their bytes; JS would put "10" after "9". */
function byteOrder(a: string, b: string): number {
  const x = utf8.encode(a);
  const y = utf8.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

function walkTree(node: BencodeDict, prefix: readonly string[], out: TreeFile[]): void {
  const where = prefix.length ? JSON.stringify(prefix.join("/")) : "the root";
  const keys = Object.keys(node);
  if (Object.hasOwn(node, "")) {
    const leaf = node[""];
    if (keys.length !== 1 || prefix.length === 0 || !isBencodeDict(leaf)) {
      throw new MetainfoError(`invalid v2 file tree entry at ${where}`);
    }
    const attr = dictGet(leaf, "attr");
    const isLink = attr instanceof Uint8Array && attr.includes(0x6c);
    const length = isLink ? 0 : dictGet(leaf, "length");
    if (typeof length !== "number" || length < 0) {
      throw new MetainfoError(`invalid length in the v2 file tree at ${where}`);
    }
    out.push({ path: prefix, length });
    return;
  }
  if (keys.length === 0) throw new MetainfoError(`empty folder in the v2 file tree at ${where}`);
  for (const key of keys.sort(byteOrder)) {
    const child = node[key];
    if (!isBencodeDict(child)) throw new MetainfoError(`invalid v2 file tree entry at ${where}`);
    walkTree(child, [...prefix, key], out);
  }
}

/**
 * Throws {@link MetainfoError} unless the v2 `file tree` of a hybrid info dict lists the same
 * files, in the same order and with the same lengths, as the v1 file list, and every non-empty
 * v1 file starts on a piece boundary (v2 requires it; v1 pad files provide it).
 * @example
 * ```ts
 * checkHybridFiles(info, fileList.files, fileList.multiFile, pieceLength);
 * ```
 */
export function checkHybridFiles(
  info: BencodeDict,
  files: readonly FileEntry[],
  multiFile: boolean,
  pieceLength: number,
): void {
  const tree = dictGet(info, "file tree");
  if (!isBencodeDict(tree)) {
    throw new MetainfoError("hybrid torrent without a valid v2 'file tree'");
  }
  const v2: TreeFile[] = [];
  walkTree(tree, [], v2);
  const rawFiles = dictGet(info, "files");
  const name = dictGet(info, "name");
  const v1 = files.flatMap((file, i): TreeFile[] => {
    if (file.pad) return [];
    const raw = multiFile && Array.isArray(rawFiles) && isBencodeDict(rawFiles[i])
      ? rawFilePath(rawFiles[i], `files[${i}]`) ?? []
      : name instanceof Uint8Array
      ? [name]
      : [];
    return [{ path: raw.map(bencodeKeyString), length: file.length }];
  });
  if (v1.length !== v2.length) {
    throw new MetainfoError(`v1 and v2 file lists differ: ${v1.length} vs ${v2.length} files`);
  }
  v1.forEach((file, i) => {
    const other = v2[i];
    const samePath = file.path.length === other.path.length &&
      file.path.every((e, j) => e === other.path[j]);
    if (file.length !== other.length || !samePath) {
      throw new MetainfoError(
        `v1 and v2 file lists differ at ${JSON.stringify(other.path.join("/"))}`,
      );
    }
  });
  for (const file of files) {
    if (!file.pad && file.length > 0 && file.offset % pieceLength !== 0) {
      const path = JSON.stringify(file.path.join("/"));
      throw new MetainfoError(`file ${path} does not start on a piece boundary (required by v2)`);
    }
  }
}
