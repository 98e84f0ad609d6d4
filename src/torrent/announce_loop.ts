/**
 * Keeps a torrent's trackers informed: `started` at start, regular announces at the interval the
 * tracker asks for, `completed` once, `stopped` at the end (bounded, so quitting never hangs).
 * @module
 */

import type { Metainfo } from "../metainfo/types.ts";
import type { Announcers } from "../tracker/announcers.ts";
import { type AnnounceStats, TrackerTiers } from "../tracker/tracker_tiers.ts";
import type { PeerAddress } from "../tracker/types.ts";
import type { TrackerSnapshot } from "./snapshot.ts";

/** Options for {@linkcode AnnounceLoop}. */
export interface AnnounceLoopOptions {
  readonly tiers: TrackerTiers;
  /** Current transfer figures. */
  readonly stats: () => AnnounceStats;
  /** Peers from a reply. */
  readonly onPeers: (peers: PeerAddress[]) => void;
  /** A whole announce failed (every tracker): one line for the log. */
  readonly onError: (message: string) => void;
  /** Bound on the final `stopped` announce. */
  readonly stopTimeoutMs?: number;
}

/** Retry delay when no tracker could be used and none suggested a time. */
const IDLE_RETRY_MS = 60_000;

/**
 * The announce schedule of one torrent.
 * @example
 * ```ts
 * const loop = new AnnounceLoop({ tiers, stats, onPeers: (p) => torrent.addPeers(p, "tracker"),
 *   onError: console.error });
 * loop.start();
 * await loop.stop();
 * ```
 */
export class AnnounceLoop {
  readonly #options: AnnounceLoopOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #completedSent = false;
  readonly #abort = new AbortController();

  constructor(options: AnnounceLoopOptions) {
    this.#options = options;
  }

  /** A loop over the metainfo's tracker tiers. */
  static forTorrent(
    options: Omit<AnnounceLoopOptions, "tiers"> & {
      metainfo: Pick<Metainfo, "infoHash" | "announceTiers">;
      peerId: Uint8Array;
      port: number;
      announcers: Announcers;
    },
  ): AnnounceLoop {
    const tiers = new TrackerTiers({
      tiers: options.metainfo.announceTiers,
      infoHash: options.metainfo.infoHash,
      peerId: options.peerId,
      port: options.port,
      announcers: options.announcers,
    });
    return new AnnounceLoop({ ...options, tiers });
  }

  /** Announces `started` and keeps announcing until {@linkcode stop}. */
  start(): void {
    this.#running = true;
    this.#announce("started");
  }

  /** Tells the trackers the download completed (once). */
  completed(): void {
    if (!this.#running || this.#completedSent) return;
    this.#completedSent = true;
    clearTimeout(this.#timer);
    this.#announce("completed");
  }

  snapshot(): TrackerSnapshot[] {
    return this.#options.tiers.snapshot();
  }

  /** Announces `stopped` to the trackers that know us, waiting at most `stopTimeoutMs`. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    clearTimeout(this.#timer);
    this.#abort.abort();
    const signal = AbortSignal.timeout(this.#options.stopTimeoutMs ?? 3000);
    await this.#options.tiers.announce("stopped", this.#options.stats(), signal).catch(() => {});
  }

  async #announce(event: "started" | "completed" | undefined): Promise<void> {
    try {
      const peers = await this.#options.tiers.announce(
        event,
        this.#options.stats(),
        this.#abort.signal,
      );
      if (this.#running) this.#options.onPeers(peers);
    } catch (error) {
      if (this.#running) this.#options.onError((error as Error).message);
    }
    if (!this.#running) return;
    const at = this.#options.tiers.nextAnnounceAt() ?? Date.now() + IDLE_RETRY_MS;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#announce(undefined), Math.max(1000, at - Date.now()));
  }
}
