/**
 * The made-up stream server of a synthetic torrent (`dev_preview.ts --stream`): URLs shaped like
 * the real server's, and seek figures that change with time like a viewer skipping around.
 * @module
 */

import { mediaKindOf } from "../src/stream/media_types.ts";
import type { StreamSnapshot } from "../src/torrent/snapshot.ts";

/** How the synthetic server behaves. */
export interface SyntheticStreamOptions {
  /** Offer HLS playlists for video and audio (as when ffmpeg is installed). */
  readonly hls: boolean;
  /** Seconds before the first seek; until then the latencies are unknown. */
  readonly firstSeekAt?: number;
}

/**
 * The stream server's root URL the synthetic torrents use.
 * @example
 * ```ts
 * SYNTHETIC_STREAM_URL; // "http://127.0.0.1:8888/"
 * ```
 */
export const SYNTHETIC_STREAM_URL = "http://127.0.0.1:8888/";

/**
 * The stream snapshot at `t` seconds for files given by metainfo index and path.
 * @example
 * ```ts
 * syntheticStream([{ index: 0, path: "a.mkv" }], 12, { hls: true }).hlsUrls?.[0];
 * // "http://127.0.0.1:8888/0/hls/index.m3u8"
 * ```
 */
export function syntheticStream(
  files: readonly { readonly index: number; readonly path: string }[],
  t: number,
  options: SyntheticStreamOptions,
): StreamSnapshot {
  const base = SYNTHETIC_STREAM_URL.slice(0, -1);
  const fileUrls: Record<number, string> = {};
  const hlsUrls: Record<number, string> = {};
  for (const f of files) {
    const name = encodeURIComponent(f.path.slice(f.path.lastIndexOf("/") + 1));
    fileUrls[f.index] = `${base}/${f.index}/${name}`;
    const kind = mediaKindOf(f.path);
    if (kind === "video" || kind === "audio") {
      hlsUrls[f.index] = `${base}/${f.index}/hls/index.m3u8`;
    }
  }
  const seeking = t >= (options.firstSeekAt ?? 3);
  // A seek every 5 s: mostly tens of ms, now and then one that waits on a missing piece.
  const seek = Math.floor(t / 5);
  const last = 18 + ((seek * 37) % 50) + (seek % 7 === 3 ? 240 : 0);
  return {
    url: SYNTHETIC_STREAM_URL,
    fileUrls,
    ...(options.hls ? { hlsUrls } : {}),
    ...(seeking ? { lastSeekMs: last + 0.4, medianSeekMs: 41.5 } : {}),
    activeStreams: seeking ? 1 + (seek % 2) : 0,
  };
}
