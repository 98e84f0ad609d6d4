/**
 * What the TUI needs from a running torrent. The engine implements it; the TUI polls
 * `snapshot()` on its own timer and never makes the engine wait.
 * @module
 */

import type { FilePriority, TorrentSnapshot } from "../src/torrent/snapshot.ts";

/** A running torrent as the UI sees it. */
export interface TorrentControl {
  /** Current state as plain data; cheap enough to call several times a second. */
  snapshot(): TorrentSnapshot;
  pause(): void;
  resume(): void;
  /** `fileIndex` is a file's `index` in `snapshot().files` (its place in the metainfo). */
  setFilePriority(fileIndex: number, priority: FilePriority): void;
  /** Starts a media player on the file's stream (present when streaming is on). */
  openInPlayer?(fileIndex: number): void;
}

/** Why {@linkcode runTui} returned. */
export type TuiExitReason =
  /** The user pressed q or Ctrl+C. */
  | "quit"
  /** SIGTERM, SIGINT or SIGHUP arrived. */
  | "signal"
  /** The caller's AbortSignal fired. */
  | "aborted";

/** What {@linkcode runTui} resolves with; the caller then saves resume state and exits. */
export interface TuiResult {
  readonly reason: TuiExitReason;
}
