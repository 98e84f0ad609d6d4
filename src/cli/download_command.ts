/**
 * `mod.ts <torrent>...`: download (and optionally seed) torrents, with the TUI or with plain
 * progress lines.
 * @module
 */

import { canRunTui } from "../../tui/terminal_io.ts";
import type { DownloadCommand } from "./args.ts";
import { loadSources, startSession } from "./client_session.ts";
import { CliError, type Output } from "./cli_error.ts";
import { runPlain } from "./plain_mode.ts";
import { runInteractive } from "./tui_mode.ts";

/**
 * Runs a download to the end. Resolves with the exit status.
 * @example
 * ```ts
 * const status = await runDownload(parseArgs(Deno.args) as DownloadCommand, consoleOutput);
 * ```
 */
export async function runDownload(cmd: DownloadCommand, output: Output): Promise<number> {
  const sources = await loadSources(cmd.sources);
  const interactive = cmd.tui === true || (cmd.tui === "auto" && canRunTui());
  // The TUI keeps seeding by default; plain mode exits once done, as scripts expect.
  const seed = cmd.seed ?? interactive;
  const out = cmd.json ? jsonOutput(output) : output;
  const session = await startSession(cmd, sources, { seed }, out);
  try {
    return interactive
      ? await runInteractive(session, out)
      : await runPlain(session, { seed, verbose: cmd.verbose, json: cmd.json }, output);
  } catch (error) {
    throw new CliError((error as Error).message);
  } finally {
    // Exact payload byte counts, for scripts and for checking what peers received.
    for (const job of session.jobs) {
      const { downloaded, uploaded, wasted } = job.totals();
      output.line(
        cmd.json
          ? JSON.stringify({ event: "totals", name: job.name, downloaded, uploaded, wasted })
          : `totals: ${job.name} downloaded=${downloaded} uploaded=${uploaded} wasted=${wasted}`,
      );
    }
  }
}

/** With --json, every message is a JSON object too. */
function jsonOutput(output: Output): Output {
  return {
    line: (text) => output.line(JSON.stringify({ event: "message", text })),
    error: (text) => output.error(JSON.stringify({ event: "error", text })),
  };
}
