/**
 * `mod.ts <torrent>...`: download (and optionally seed) torrents, with the TUI or with plain
 * progress lines.
 * @module
 */

import { parseMetainfo } from "../metainfo/parse_metainfo.ts";
import type { Metainfo } from "../metainfo/types.ts";
import { canRunTui } from "../../tui/terminal_io.ts";
import type { DownloadCommand } from "./args.ts";
import { startSession } from "./client_session.ts";
import { CliError, type Output } from "./cli_error.ts";
import { runPlain } from "./plain_mode.ts";
import { runInteractive } from "./tui_mode.ts";

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

/**
 * Runs a download to the end. Resolves with the exit status.
 * @example
 * ```ts
 * const status = await runDownload(parseArgs(Deno.args) as DownloadCommand, consoleOutput);
 * ```
 */
export async function runDownload(cmd: DownloadCommand, output: Output): Promise<number> {
  for (const source of cmd.sources) {
    if (source.startsWith("magnet:")) {
      throw new CliError("magnet links are not supported yet: give a .torrent file");
    }
  }
  const metainfos = await Promise.all(cmd.sources.map(loadTorrentFile));
  const interactive = cmd.tui === true || (cmd.tui === "auto" && canRunTui());
  // The TUI keeps seeding by default; plain mode exits once done, as scripts expect.
  const seed = cmd.seed ?? interactive;
  const session = await startSession(cmd, metainfos, { seed }, output);
  try {
    return interactive
      ? await runInteractive(session, output)
      : await runPlain(session, { seed, verbose: cmd.verbose }, output);
  } catch (error) {
    throw new CliError((error as Error).message);
  } finally {
    // Exact payload byte counts, for scripts and for checking what peers received.
    for (const t of session.torrents) {
      output.line(
        `totals: ${t.metainfo.name} downloaded=${t.down.total} uploaded=${t.up.total} wasted=${t.wasted}`,
      );
    }
  }
}
