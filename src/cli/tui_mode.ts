/**
 * Interactive mode: the full-screen TUI until the user quits (torrents keep seeding meanwhile).
 * @module
 */

import { runTui } from "../../tui/run_tui.ts";
import type { ClientSession } from "./client_session.ts";
import type { Output } from "./cli_error.ts";

/**
 * Runs the TUI; on quit (q, Ctrl+C or a signal) stops the session. Resolves with the exit
 * status: 1 when every torrent ended in an error, else 0.
 * @example
 * ```ts
 * const status = await runInteractive(session, consoleOutput);
 * ```
 */
export async function runInteractive(session: ClientSession, output: Output): Promise<number> {
  try {
    await runTui(session.jobs);
  } finally {
    await session.stop();
  }
  const failed = session.jobs.filter((j) => j.state.state === "error");
  for (const j of failed) output.error(`error: ${j.name}: ${j.state.error}`);
  return failed.length > 0 && failed.length === session.jobs.length ? 1 : 0;
}
