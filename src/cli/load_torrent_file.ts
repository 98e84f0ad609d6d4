/**
 * Reading a .torrent file from disk, with every failure as one line for the user.
 * @module
 */

import { parseMetainfo } from "../metainfo/parse_metainfo.ts";
import type { Metainfo } from "../metainfo/types.ts";
import { CliError } from "./cli_error.ts";

/**
 * Reads and parses a .torrent file, turning every failure into a one-line {@linkcode CliError}.
 * @example
 * ```ts
 * const metainfo = await loadTorrentFile("file.torrent");
 * ```
 */
export async function loadTorrentFile(path: string): Promise<Metainfo> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return await parseMetainfo(bytes);
  } catch (error) {
    throw new CliError(`${path} is not a valid torrent: ${(error as Error).message}`);
  }
}
