/**
 * Runs our own client (`mod.ts`) as a child process, the way a user or a script does.
 * @module
 */

import { spawnTracked, type TrackedProcess, waitFor } from "./process.ts";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;

/** How a run of the client ended. */
export interface ClientRun {
  readonly code: number;
  /** stdout and stderr, interleaved. */
  readonly output: string;
}

/**
 * Starts `deno run -A mod.ts ...args` and returns the tracked process.
 * @example
 * ```ts
 * const client = startOurClient(["x.torrent", "--no-tui", "--out", dir]);
 * await client.stop();
 * ```
 */
export function startOurClient(args: readonly string[]): TrackedProcess {
  // Tests stay off the public DHT: a download or seed runs a DHT only when a test gives it
  // bootstrap nodes (and then also a --dht-state file of its own).
  const subcommand = ["info", "magnet", "create"].includes(args[0]);
  const dht = args.includes("--dht-bootstrap") || args.includes("--no-dht");
  if (!subcommand && !dht) args = [...args, "--no-dht"];
  const env = { NO_COLOR: "1" };
  return spawnTracked(Deno.execPath(), ["run", "-A", MOD, ...args], { env });
}

/**
 * Runs the client to its end, killing it by PID if it outlives `timeoutMs`.
 * @example
 * ```ts
 * const { code, output } = await runOurClient(["info", "x.torrent"], 10_000);
 * ```
 */
export async function runOurClient(args: readonly string[], timeoutMs: number): Promise<ClientRun> {
  const client = startOurClient(args);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    client.stop();
  }, timeoutMs);
  try {
    const status = await client.child.status;
    await client.stop();
    if (timedOut) {
      throw new Error(`client ${args.join(" ")} ran over ${timeoutMs} ms:\n${client.output()}`);
    }
    return { code: status.code, output: client.output() };
  } finally {
    clearTimeout(timer);
    await client.stop();
  }
}

/**
 * Waits until a running client prints its listening port, and returns it.
 * @example
 * ```ts
 * const port = await listeningPort(client, 10_000);
 * ```
 */
export async function listeningPort(client: TrackedProcess, timeoutMs: number): Promise<number> {
  const found = await waitFor(
    () => /listening for peers on port (\d+)/.exec(client.output()),
    { timeoutMs, what: `our client to listen:\n${client.output()}` },
  );
  return Number(found[1]);
}

/**
 * The `totals:` line a client prints on exit, as numbers.
 * @example
 * ```ts
 * const { uploaded } = totals(run.output);
 * ```
 */
export function totals(output: string): { downloaded: number; uploaded: number; wasted: number } {
  const m = /totals: .* downloaded=(\d+) uploaded=(\d+) wasted=(\d+)/.exec(output);
  if (!m) throw new Error(`no totals line in:\n${output}`);
  return { downloaded: Number(m[1]), uploaded: Number(m[2]), wasted: Number(m[3]) };
}
