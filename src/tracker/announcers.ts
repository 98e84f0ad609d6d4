/**
 * The announce function of each tracker URL scheme we speak, for {@linkcode TrackerTiers}.
 * @module
 */

import { httpAnnounce, type HttpAnnounceOptions } from "./http_tracker.ts";
import type { AnnounceRequest, AnnounceResponse } from "./types.ts";
import type { UdpTrackerClient } from "./udp_tracker.ts";

/**
 * Announces to one tracker URL; throws `TrackerError` on failure.
 * @example
 * ```ts
 * const announcer: Announcer = (url, request, signal) => httpAnnounce(url, request, { signal });
 * ```
 */
export type Announcer = (
  url: string,
  request: AnnounceRequest,
  signal?: AbortSignal,
) => Promise<AnnounceResponse>;

/**
 * Announcers keyed by URL protocol as `URL.protocol` spells it (`"udp:"`).
 * @example
 * ```ts
 * const announcers: Announcers = { "udp:": (url, request, signal) => udp.announce(url, request, signal) };
 * ```
 */
export type Announcers = Readonly<Record<string, Announcer>>;

/**
 * `http:`, `https:` and `udp:` announcers; the UDP client is shared by every torrent.
 * @example
 * ```ts
 * const udp = new UdpTrackerClient();
 * const tiers = new TrackerTiers({ ...torrent, announcers: standardAnnouncers(udp) });
 * ```
 */
export function standardAnnouncers(
  udp: UdpTrackerClient,
  http: Omit<HttpAnnounceOptions, "signal"> = {},
): Announcers {
  const overHttp: Announcer = (url, request, signal) =>
    httpAnnounce(url, request, { ...http, signal });
  return {
    "http:": overHttp,
    "https:": overHttp,
    "udp:": (url, request, signal) => udp.announce(url, request, signal),
  };
}
