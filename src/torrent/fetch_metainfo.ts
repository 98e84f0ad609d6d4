/**
 * A magnet link turned into a full metainfo, by fetching the info dict from the swarm (BEP 9):
 * the library call behind `mod.ts info <magnet>`.
 * @module
 */

import { metainfoFromInfoDict } from "../extension/metainfo_from_metadata.ts";
import type { MagnetLink } from "../metainfo/magnet.ts";
import type { Metainfo } from "../metainfo/types.ts";
import type { PeerAddress } from "../tracker/types.ts";
import { MetadataPhase } from "./metadata_phase.ts";
import { makePeerId } from "./peer_id.ts";
import type { TorrentOptions } from "./torrent_options.ts";

/** Options of {@linkcode fetchMetainfo}: peer sources, as for a torrent. */
export type FetchMetainfoOptions =
  & Pick<TorrentOptions, "announcers" | "dht" | "listenPort" | "connectTimeoutMs" | "encryption">
  & {
    /** Peers to ask besides the link's `x.pe`. */
    readonly peers?: readonly PeerAddress[];
    /** Give up when no peer was reachable for this long (ms). */
    readonly giveUpAfterMs: number;
  };

/**
 * Fetches and verifies a magnet link's metadata. The metainfo's trackers are the link's.
 * Rejects with a one-line reason when no peer could be reached in time.
 * @example
 * ```ts
 * const metainfo = await fetchMetainfo(parseMagnet(uri), { giveUpAfterMs: 60_000, dht });
 * console.log(metainfo.name, metainfo.files.length);
 * ```
 */
export function fetchMetainfo(
  magnet: MagnetLink,
  options: FetchMetainfoOptions,
): Promise<Metainfo> {
  const { promise, resolve, reject } = Promise.withResolvers<Metainfo>();
  const phase: MetadataPhase = new MetadataPhase({
    identity: {
      infoHash: magnet.infoHash,
      peerId: makePeerId(),
      features: { extended: true, fast: true, dht: options.dht !== undefined },
    },
    magnet,
    options: { ...options, dir: "." },
    onComplete: async (infoBytes) => {
      await phase.stop();
      try {
        const trackers = magnet.trackers.map((url) => [url]);
        resolve((await metainfoFromInfoDict(infoBytes, trackers)).metainfo);
      } catch (error) {
        reject(error);
      }
    },
    onFail: async (message) => {
      await phase.stop();
      reject(new Error(message));
    },
  });
  phase.start();
  phase.add(options.peers ?? [], "--peer");
  return promise;
}
