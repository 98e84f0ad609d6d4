/**
 * A torrent announced to an opentracker of the test's own. Debian's opentracker serves only
 * whitelisted info-hashes and the info-hash does not depend on the announce URL, so the torrent
 * is made twice: once to learn the hash, once with the tracker's URL.
 * @module
 */

import { type Opentracker, startOpentracker } from "./opentracker.ts";
import { makeTorrent, type TorrentFile } from "./payload.ts";

/**
 * Makes `out` for `path` with the URLs `announce` picks from a fresh tracker (HTTP by default),
 * and returns both; the caller stops the tracker.
 * @example
 * ```ts
 * const { torrent, tracker } = await makeTrackedTorrent(root, { pieceLength: 32768, out });
 * await tracker.stop();
 * ```
 */
export async function makeTrackedTorrent(
  path: string,
  options: {
    pieceLength: number;
    out: string;
    announce?: (tracker: Opentracker) => string[];
  },
): Promise<{ torrent: TorrentFile; tracker: Opentracker }> {
  const probe = await makeTorrent(path, {
    pieceLength: options.pieceLength,
    out: `${options.out}.probe`,
  });
  await Deno.remove(probe.path);
  const tracker = await startOpentracker([probe.infoHashHex]);
  try {
    const trackers = options.announce?.(tracker) ?? [tracker.httpUrl];
    const torrent = await makeTorrent(path, {
      pieceLength: options.pieceLength,
      out: options.out,
      trackers,
    });
    if (torrent.infoHashHex !== probe.infoHashHex) {
      throw new Error("the announce URL changed the info-hash");
    }
    return { torrent, tracker };
  } catch (error) {
    await tracker.stop();
    throw error;
  }
}
