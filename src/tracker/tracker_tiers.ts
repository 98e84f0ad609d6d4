/**
 * The trackers of one torrent (BEP 12): tiers tried in order, trackers shuffled within a tier,
 * the one that answers moved to the front of its tier, dead ones backed off exponentially.
 * @module
 */

import type { TrackerSnapshot } from "../torrent/snapshot.ts";
import type { Announcer, Announcers } from "./announcers.ts";
import { TrackerError } from "./tracker_error.ts";
import type { AnnounceEvent, AnnounceRequest, PeerAddress } from "./types.ts";

/**
 * The transfer figures an announce reports.
 * @example
 * ```ts
 * const stats: AnnounceStats = { uploaded: 0, downloaded: 0, left: metainfo.totalLength };
 * ```
 */
export interface AnnounceStats {
  readonly uploaded: number;
  readonly downloaded: number;
  readonly left: number;
  readonly numWant?: number;
}

/**
 * Options of {@linkcode TrackerTiers}.
 * @example
 * ```ts
 * const options: TrackerTiersOptions = { tiers: [["udp://t.example:6969"]], infoHash, peerId,
 *   port: 6881, announcers: standardAnnouncers(udp) };
 * ```
 */
export interface TrackerTiersOptions {
  /** Announce URLs in tiers, as the metainfo gives them. */
  readonly tiers: readonly (readonly string[])[];
  readonly infoHash: Uint8Array;
  readonly peerId: Uint8Array;
  /** Our listening port. */
  readonly port: number;
  /** Session key sent with every announce; random when not given. */
  readonly key?: number;
  /** How to announce per URL protocol; trackers of other protocols are listed as unsupported. */
  readonly announcers: Announcers;
  /** Milliseconds since the epoch; default `Date.now`. */
  readonly now?: () => number;
  /** Uniform in [0, 1), for the shuffle; default `Math.random`. */
  readonly random?: () => number;
  /** Wait after a tracker's n-th failure in a row: `baseMs * 2^(n-1)`, at most `maxMs`. */
  readonly backoff?: { readonly baseMs: number; readonly maxMs: number };
}

/** The shortest re-announce interval we honour, whatever a tracker says. */
const FLOOR_INTERVAL_SECONDS = 60;

interface Tracker {
  readonly url: string;
  readonly announcer?: Announcer;
  status: TrackerSnapshot["status"];
  lastError?: string;
  peers: number;
  seeders?: number;
  leechers?: number;
  /** Failures in a row. */
  failures: number;
  retryAt?: number;
  nextAnnounceAt?: number;
  /** Whether this tracker has our `started` and so should get our `stopped`. */
  started: boolean;
}

/**
 * Announces for one torrent. Calls are serialized; a `stopped` announce cancels one in flight.
 * The owner schedules regular announces at {@linkcode TrackerTiers.nextAnnounceAt}.
 * @example
 * ```ts
 * const tiers = new TrackerTiers({ tiers: metainfo.announceTiers, infoHash, peerId, port,
 *   announcers: standardAnnouncers(udp) });
 * const peers = await tiers.announce("started", { uploaded: 0, downloaded: 0, left });
 * ```
 */
export class TrackerTiers {
  readonly #tiers: Tracker[][];
  /** Metainfo order, so the UI's list does not reshuffle. */
  readonly #all: Tracker[];
  readonly #request: Pick<AnnounceRequest, "infoHash" | "peerId" | "port" | "key">;
  readonly #now: () => number;
  readonly #backoff: { readonly baseMs: number; readonly maxMs: number };
  #nextRegularAt?: number;
  #queue: Promise<unknown> = Promise.resolve();
  #inFlight?: AbortController;

  constructor(options: TrackerTiersOptions) {
    const random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#backoff = options.backoff ?? { baseMs: 15_000, maxMs: 30 * 60_000 };
    this.#request = {
      infoHash: options.infoHash,
      peerId: options.peerId,
      port: options.port,
      key: options.key ?? crypto.getRandomValues(new Uint32Array(1))[0],
    };
    this.#all = [];
    this.#tiers = options.tiers.map((urls) =>
      shuffle(
        urls.map((url) => {
          const tracker = newTracker(url, options.announcers);
          this.#all.push(tracker);
          return tracker;
        }),
        random,
      )
    );
  }

  /**
   * Announces `event` (undefined for a regular announce) and returns the peers of the reply,
   * deduplicated, without port 0. Goes through the tiers in order and stops at the first tracker
   * that answers; trackers backing off are skipped. A regular announce to a tracker that never
   * had our `started` sends `started`. `stopped` goes to every tracker that had `started`, its
   * failures ignored, and returns no peers. Throws {@linkcode TrackerError} when no tracker
   * answered; rejects with the signal's reason when `signal` aborts.
   * @example
   * ```ts
   * const peers = await tiers.announce(undefined, { uploaded, downloaded, left });
   * ```
   */
  announce(
    event: AnnounceEvent | undefined,
    stats: AnnounceStats,
    signal?: AbortSignal,
  ): Promise<PeerAddress[]> {
    if (event === "stopped") {
      this.#inFlight?.abort(new TrackerError("announce cancelled: stopping"));
    }
    const run = () => {
      const controller = new AbortController();
      this.#inFlight = controller;
      const combined = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
      const request = { ...this.#request, ...stats };
      return event === "stopped"
        ? this.#announceStopped(request, combined)
        : this.#announceFirst(event, request, combined);
    };
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => {});
    return result;
  }

  /**
   * When the next regular announce is due (ms since the epoch): the answering tracker's interval
   * after a success, the earliest retry of a failed tracker after a failure; undefined before the
   * first announce, after `stopped`, or when no tracker can be used.
   * @example
   * ```ts
   * const at = tiers.nextAnnounceAt();
   * if (at !== undefined) setTimeout(reannounce, Math.max(0, at - Date.now()));
   * ```
   */
  nextAnnounceAt(): number | undefined {
    if (this.#nextRegularAt !== undefined) return this.#nextRegularAt;
    const retries = this.#all.filter((t) => t.retryAt !== undefined).map((t) => t.retryAt!);
    return retries.length > 0 ? Math.min(...retries) : undefined;
  }

  /**
   * One entry per tracker, in metainfo order, for the UI.
   * @example
   * ```ts
   * for (const t of tiers.snapshot()) console.log(t.url, t.status, t.lastError ?? "");
   * ```
   */
  snapshot(): TrackerSnapshot[] {
    return this.#all.map((t) => ({
      url: t.url,
      status: t.status,
      peers: t.peers,
      ...(t.lastError !== undefined && { lastError: t.lastError }),
      ...(t.seeders !== undefined && { seeders: t.seeders }),
      ...(t.leechers !== undefined && { leechers: t.leechers }),
      ...(t.nextAnnounceAt !== undefined && { nextAnnounceAt: t.nextAnnounceAt }),
    }));
  }

  async #announceFirst(
    event: AnnounceEvent | undefined,
    request: AnnounceRequest,
    signal: AbortSignal,
  ): Promise<PeerAddress[]> {
    let lastError: string | undefined;
    for (const tier of this.#tiers) {
      for (const [index, tracker] of tier.entries()) {
        if (!tracker.announcer || (tracker.retryAt ?? 0) > this.#now()) continue;
        signal.throwIfAborted();
        const sent = event ?? (tracker.started ? undefined : "started");
        const statusBefore = tracker.status;
        tracker.status = "announcing";
        try {
          const reply = await tracker.announcer(tracker.url, { ...request, event: sent }, signal);
          const seconds = Math.max(reply.interval, reply.minInterval ?? 0, FLOOR_INTERVAL_SECONDS);
          update(tracker, {
            status: "ok",
            lastError: undefined,
            peers: reply.peers.length,
            seeders: reply.complete,
            leechers: reply.incomplete,
            failures: 0,
            retryAt: undefined,
            nextAnnounceAt: this.#now() + seconds * 1000,
            started: sent !== undefined || tracker.started,
          });
          this.#nextRegularAt = tracker.nextAnnounceAt;
          tier.splice(index, 1);
          tier.unshift(tracker);
          return uniquePeers(reply.peers);
        } catch (error) {
          if (signal.aborted) {
            tracker.status = statusBefore;
            throw signal.reason;
          }
          lastError = this.#failed(tracker, error);
        }
      }
    }
    this.#nextRegularAt = undefined;
    throw new TrackerError(
      lastError ? `no tracker answered (last: ${lastError})` : "no tracker to announce to now",
    );
  }

  async #announceStopped(request: AnnounceRequest, signal: AbortSignal): Promise<PeerAddress[]> {
    this.#nextRegularAt = undefined;
    const started = this.#all.filter((t) => t.started && t.announcer);
    await Promise.all(started.map(async (tracker) => {
      tracker.status = "announcing";
      try {
        await tracker.announcer!(tracker.url, { ...request, event: "stopped" }, signal);
        update(tracker, { status: "idle", lastError: undefined });
      } catch (error) {
        update(tracker, { status: "error", lastError: errorText(error) });
      }
      tracker.started = false;
      tracker.nextAnnounceAt = undefined;
    }));
    return [];
  }

  /** Records a failure and schedules the retry; returns the error text. */
  #failed(tracker: Tracker, error: unknown): string {
    tracker.failures++;
    const wait = Math.min(this.#backoff.baseMs * 2 ** (tracker.failures - 1), this.#backoff.maxMs);
    update(tracker, {
      status: "backoff",
      lastError: errorText(error),
      peers: 0,
      retryAt: this.#now() + wait,
      nextAnnounceAt: this.#now() + wait,
    });
    return tracker.lastError!;
  }
}

/** Object.assign that only takes known fields, so a misspelt one fails to compile. */
function update(tracker: Tracker, patch: Partial<Tracker>): void {
  Object.assign(tracker, patch);
}

function newTracker(url: string, announcers: Announcers): Tracker {
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  const announcer = protocol !== undefined && Object.hasOwn(announcers, protocol)
    ? announcers[protocol]
    : undefined;
  return {
    url,
    announcer,
    status: announcer ? "idle" : "error",
    ...(!announcer && {
      lastError: protocol ? `unsupported tracker protocol ${protocol}` : "not a URL",
    }),
    peers: 0,
    failures: 0,
    started: false,
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function uniquePeers(peers: readonly PeerAddress[]): PeerAddress[] {
  const seen = new Set<string>();
  return peers.filter((peer) => {
    const key = `${peer.host}|${peer.port}`;
    if (peer.port === 0 || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
