/**
 * `deno task demo`: a whole swarm on this machine — no torrent, no internet. Generates an album,
 * seeds it from four throttled peers of ours on 127.0.0.1 and downloads it in the TUI (or with
 * progress lines, `--no-tui`). Quitting stops everything and removes the temporary data.
 * @module
 */

import type { Output } from "../cli/cli_error.ts";
import { runTui } from "../../tui/run_tui.ts";
import { canRunTui } from "../../tui/terminal_io.ts";
import { DEMO_HELP, type DemoCommand, DemoUsageError, parseDemoArgs } from "./demo_args.ts";
import { type DemoSwarm, startDemoSwarm } from "./demo_swarm.ts";
import { runHeadless } from "./headless.ts";

const consoleOutput: Output = {
  line: (text) => console.log(text),
  error: (text) => console.error(text),
};

/**
 * Runs the demo and resolves with the exit status: 0 after a quit or a finished `--no-tui`
 * download, 130 when stopped by a signal, 1 on failure, 2 for a wrong command line.
 * @example
 * ```ts
 * Deno.exit(await runDemo(["--no-tui", "--size-mb", "8"]));
 * ```
 */
export async function runDemo(
  argv: readonly string[],
  output: Output = consoleOutput,
): Promise<number> {
  let command: DemoCommand;
  try {
    command = parseDemoArgs(argv);
  } catch (error) {
    if (!(error instanceof DemoUsageError)) throw error;
    output.error(`error: ${error.message} (see --help)`);
    return 2;
  }
  if (command.kind === "help") {
    output.line(DEMO_HELP);
    return 0;
  }
  const tui = command.tui === "auto" ? canRunTui() : command.tui;
  // Ctrl+C or SIGTERM at any point, set-up included, still stops the swarm and removes its data.
  const shutdown = new AbortController();
  const onSignal = () => shutdown.abort();
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  let swarm: DemoSwarm | undefined;
  try {
    swarm = await startDemoSwarm({
      sizeBytes: command.sizeMb * 1024 * 1024,
      seconds: command.seconds,
      keepSeeding: tui,
      onStep: (text) => output.line(`demo: ${text}`),
    });
    if (shutdown.signal.aborted) return 130;
    if (tui) {
      const { reason } = await runTui([swarm.downloader], { signal: shutdown.signal });
      return reason === "quit" ? 0 : 130;
    }
    const outcome = await runHeadless(swarm.downloader, output.line, shutdown.signal);
    return outcome === "done" ? 0 : 130;
  } catch (error) {
    output.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
    if (swarm) {
      await swarm.stop();
      output.line(`demo: stopped; removed ${swarm.root}`);
    }
  }
}

if (import.meta.main) Deno.exit(await runDemo(Deno.args));
