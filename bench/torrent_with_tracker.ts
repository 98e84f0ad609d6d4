/**
 * A copy of a `.torrent` announcing to one tracker. The info dictionary is copied untouched, so
 * the info hash stays the same: one payload can be reached through a tracker by aria2 (which
 * cannot be given a peer) and directly by the clients that can.
 * @module
 */

import bencode from "bencode";

/**
 * Writes `source` with `announce` set to `trackerUrl` (and no announce-list) to `target`.
 * @example
 * ```ts
 * await writeTorrentWithTracker("a.torrent", "a-tracked.torrent", "http://127.0.0.1:6969/announce");
 * ```
 */
export async function writeTorrentWithTracker(
  source: string,
  target: string,
  trackerUrl: string,
): Promise<void> {
  const decoded = bencode.decode(await Deno.readFile(source)) as Record<string, unknown>;
  delete decoded["announce-list"];
  decoded.announce = new TextEncoder().encode(trackerUrl);
  await Deno.writeFile(target, bencode.encode(decoded));
}
