/**
 * Runs a real aria2 (`aria2c` 1.36) on a magnet link to the end: metadata from the swarm, then
 * the files, then exit (`--seed-time=0`). For checking that magnet links we write work in
 * another client. aria2's DHT is off here, so the link needs an HTTP tracker (`tr`): aria2 sends
 * UDP tracker requests from its DHT socket and skips UDP trackers without it.
 * @module
 */

import { freePort, spawnTracked } from "./process.ts";

/** How an aria2 run ended. */
export interface Aria2Run {
  readonly code: number;
  /** aria2's console output. */
  readonly output: string;
}

/**
 * Downloads `magnet` into `dir` with aria2c, killing it by PID if it outlives `timeoutMs`.
 * Exit code 0 means every file was downloaded and verified.
 * @example
 * ```ts
 * const run = await runAria2Magnet("magnet:?xt=urn:btih:...&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce", "/tmp/dl", 60_000);
 * ```
 */
export async function runAria2Magnet(
  magnet: string,
  dir: string,
  timeoutMs: number,
): Promise<Aria2Run> {
  const args = [
    "--no-conf=true",
    "--interface=127.0.0.1",
    "--disable-ipv6=true",
    `--listen-port=${freePort()}`,
    `--stop-with-process=${Deno.pid}`,
    "--enable-dht=false",
    "--enable-dht6=false",
    "--bt-enable-lpd=false",
    "--enable-peer-exchange=false",
    "--bt-require-crypto=false",
    "--bt-save-metadata=false",
    "--seed-time=0",
    "--file-allocation=none",
    "--auto-file-renaming=false",
    "--allow-overwrite=false",
    "--summary-interval=0",
    "--console-log-level=notice",
    "--show-console-readout=false",
    `--dir=${dir}`,
    magnet,
  ];
  const proc = spawnTracked("aria2c", args);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.stop();
  }, timeoutMs);
  try {
    const status = await proc.child.status;
    await proc.stop();
    if (timedOut) throw new Error(`aria2c ran over ${timeoutMs} ms:\n${proc.output()}`);
    return { code: status.code, output: proc.output() };
  } finally {
    clearTimeout(timer);
    await proc.stop();
  }
}
