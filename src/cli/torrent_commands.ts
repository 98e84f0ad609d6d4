/**
 * The small commands that work on a .torrent without a swarm: `info`, `magnet`, `create`.
 * @module
 */

import { createTorrent } from "../metainfo/create_torrent.ts";
import { formatMetainfo } from "../metainfo/format_metainfo.ts";
import { toMagnet } from "../metainfo/magnet.ts";
import { formatBytes } from "../util/format.ts";
import type { Command } from "./args.ts";
import { CliError, type Output } from "./cli_error.ts";
import { loadTorrentFile } from "./load_torrent_file.ts";
import { VERSION } from "../version.ts";

/**
 * `mod.ts info <file.torrent>`.
 * @example
 * ```ts
 * await runInfo("file.torrent", consoleOutput);
 * ```
 */
export async function runInfo(path: string, output: Output): Promise<number> {
  output.line(formatMetainfo(await loadTorrentFile(path)));
  return 0;
}

/**
 * `mod.ts magnet <file.torrent>`: the magnet link with name, size and every tracker.
 * @example
 * ```ts
 * await runMagnet("file.torrent", consoleOutput);
 * ```
 */
export async function runMagnet(path: string, output: Output): Promise<number> {
  output.line(toMagnet(await loadTorrentFile(path)));
  return 0;
}

/**
 * `mod.ts create <path> -o out.torrent`.
 * @example
 * ```ts
 * await runCreate(parseArgs(["create", "dir", "-o", "x.torrent"]), consoleOutput);
 * ```
 */
export async function runCreate(
  cmd: Extract<Command, { kind: "create" }>,
  output: Output,
): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = await createTorrent({
      path: cmd.path,
      trackers: cmd.trackers,
      pieceLength: cmd.pieceLength,
      comment: cmd.comment,
      private: cmd.private,
      createdBy: `bittorrent-ts ${VERSION}`,
    });
  } catch (error) {
    throw new CliError(`cannot make a torrent of ${cmd.path}: ${(error as Error).message}`);
  }
  try {
    await Deno.writeFile(cmd.output, bytes, { createNew: true });
  } catch (error) {
    throw new CliError(`cannot write ${cmd.output}: ${(error as Error).message}`);
  }
  const m = await loadTorrentFile(cmd.output);
  output.line(
    `created ${cmd.output}: ${m.name}, ${formatBytes(m.totalLength)} in ${m.pieceCount} pieces of ${
      formatBytes(m.pieceLength)
    }, info-hash ${m.infoHashHex}`,
  );
  return 0;
}
