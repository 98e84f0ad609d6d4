/**
 * The client's DHT node: where its routing table is kept between runs, and which nodes it
 * joins through.
 * @module
 */

import { DhtNode, type DhtState } from "../dht/dht_node.ts";
import type { PeerAddress } from "../tracker/types.ts";

/** Routers the mainline DHT is usually joined through (used when no bootstrap node is given). */
export const PUBLIC_ROUTERS: readonly PeerAddress[] = [
  { host: "router.bittorrent.com", port: 6881 },
  { host: "dht.transmissionbt.com", port: 6881 },
  { host: "router.utorrent.com", port: 6881 },
];

/**
 * Where the routing table is saved: `$XDG_CACHE_HOME/bittorrent-ts/dht.json`, or under
 * `~/.cache`.
 * @example
 * ```ts
 * dhtStatePath(); // "/home/me/.cache/bittorrent-ts/dht.json"
 * ```
 */
export function dhtStatePath(): string {
  const cache = Deno.env.get("XDG_CACHE_HOME") || `${Deno.env.get("HOME") ?? "."}/.cache`;
  return `${cache}/bittorrent-ts/dht.json`;
}

/**
 * Starts the DHT on `port` (UDP), restoring the saved routing table when there is one.
 * @example
 * ```ts
 * const dht = await startDht(6881, [], "/tmp/dht.json");
 * await saveDht(dht);
 * ```
 */
export async function startDht(
  port: number,
  bootstrap: readonly PeerAddress[],
  statePath = dhtStatePath(),
): Promise<DhtNode> {
  let state: DhtState | undefined;
  try {
    state = JSON.parse(await Deno.readTextFile(statePath));
  } catch { /* first run, or an unreadable file: start fresh */ }
  const routers = bootstrap.length > 0 ? bootstrap : PUBLIC_ROUTERS;
  try {
    return await DhtNode.start({ port, bootstrap: routers, state });
  } catch (error) {
    if (state === undefined) throw error;
    return await DhtNode.start({ port, bootstrap: routers }); // the saved state was bad
  }
}

/**
 * Saves the routing table for the next run (atomically), then closes the node.
 * @example
 * ```ts
 * await saveDht(dht);
 * ```
 */
export async function saveDht(dht: DhtNode, path = dhtStatePath()): Promise<void> {
  try {
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(`${path}.tmp`, JSON.stringify(dht.state()));
    await Deno.rename(`${path}.tmp`, path);
  } catch { /* a read-only home: the next run bootstraps again */ }
  await dht.close();
}
