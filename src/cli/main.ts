/**
 * The command-line entry: parses arguments, runs one command, maps failures to exit statuses
 * (1: fatal error with a one-line reason, 2: wrong command line).
 * @module
 */

import { parseArgs, UsageError } from "./args.ts";
import { CliError, type Output } from "./cli_error.ts";
import { runDownload } from "./download_command.ts";
import { HELP } from "./help.ts";
import { runCreate, runInfo, runMagnet } from "./torrent_commands.ts";
import { VERSION } from "../version.ts";

/** Output to the process's stdout and stderr. */
export const consoleOutput: Output = {
  line: (text) => console.log(text),
  error: (text) => console.error(text),
};

/**
 * Runs the client with `argv` and resolves with the exit status.
 * @example
 * ```ts
 * Deno.exit(await main(Deno.args));
 * ```
 */
export async function main(
  argv: readonly string[],
  output: Output = consoleOutput,
): Promise<number> {
  try {
    const command = parseArgs(argv);
    switch (command.kind) {
      case "help":
        output.line(HELP);
        return 0;
      case "version":
        output.line(`bittorrent-ts ${VERSION}`);
        return 0;
      case "download":
        return await runDownload(command, output);
      case "info":
        return await runInfo(command, output);
      case "magnet":
        return await runMagnet(command.torrent, output);
      case "create":
        return await runCreate(command, output);
      case "seed":
        return await runDownload({
          kind: "download",
          sources: [command.torrent],
          out: command.dir,
          tui: command.tui,
          peers: [],
          port: command.port,
          seed: true,
          stream: undefined,
          streamHost: "127.0.0.1",
          player: undefined,
          select: undefined,
          strategy: "rarest-first",
          giveUpSeconds: 0,
          recheck: true,
          verbose: command.verbose,
          json: false,
          dht: command.dht,
          dhtBootstrap: [],
          dhtState: undefined,
          encryption: command.encryption,
        }, output);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      output.error(`error: ${error.message} (see --help)`);
      return 2;
    }
    if (error instanceof CliError) {
      output.error(`error: ${error.message}`);
      return 1;
    }
    // Anything else is a bug; still one line first, then the details for a report.
    output.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof Error && error.stack) output.error(error.stack);
    return 1;
  }
}
