/**
 * One number for one block of a torrent, so sets and maps of blocks need no strings.
 * @module
 */

import { BLOCK_SIZE } from "./piece_picker.ts";

/**
 * The key of the block at byte `begin` of piece `index` (room for 2^20 blocks a piece).
 * @example
 * ```ts
 * blockKey(3, 16384); // 3 * 2 ** 20 + 1
 * ```
 */
export function blockKey(index: number, begin: number): number {
  return index * 0x100000 + begin / BLOCK_SIZE;
}

/**
 * The piece index and byte offset a block key names.
 * @example
 * ```ts
 * fromBlockKey(blockKey(3, 16384)); // [3, 16384]
 * ```
 */
export function fromBlockKey(key: number): [index: number, begin: number] {
  return [Math.floor(key / 0x100000), (key % 0x100000) * BLOCK_SIZE];
}
