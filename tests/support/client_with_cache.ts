/**
 * Runs our client (`mod.ts`) with a cache folder the test chooses, so it can look at what the
 * client keeps there (the DHT's routing table in `bittorrent-ts/dht.json`).
 * @module
 */

import { spawnTracked, type TrackedProcess } from "./process.ts";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;

/**
 * Deno's own cache folder as this process resolves it. Deno puts it under $XDG_CACHE_HOME when
 * DENO_DIR is unset, so a child given another XDG_CACHE_HOME must be told where it is, or it
 * fetches every npm package again into the test's folder.
 */
function denoDir(): string {
  const cache = Deno.env.get("XDG_CACHE_HOME") || `${Deno.env.get("HOME") ?? "."}/.cache`;
  return Deno.env.get("DENO_DIR") || `${cache}/deno`;
}

/**
 * Starts `deno run -A mod.ts ...args` with `XDG_CACHE_HOME=cacheDir` and Deno's usual cache.
 * @example
 * ```ts
 * const client = startOurClientWithCache(["magnet:?xt=urn:btih:...", "--no-tui"], "/tmp/cache");
 * await client.stop();
 * const state = JSON.parse(await Deno.readTextFile("/tmp/cache/bittorrent-ts/dht.json"));
 * ```
 */
export function startOurClientWithCache(
  args: readonly string[],
  cacheDir: string,
): TrackedProcess {
  const env = { NO_COLOR: "1", XDG_CACHE_HOME: cacheDir, DENO_DIR: denoDir() };
  return spawnTracked(Deno.execPath(), ["run", "-A", MOD, ...args], { env });
}
