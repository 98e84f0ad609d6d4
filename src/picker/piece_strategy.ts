/**
 * The pluggable choice of which piece to start next. A strategy sees a read-only view of the
 * swarm and returns one piece; the {@linkcode PiecePicker} does the block bookkeeping around it.
 * @module
 */

import type { PieceSet } from "./piece_picker.ts";

/** What a strategy may look at. */
export interface PickView {
  readonly pieceCount: number;
  /** True for a piece that may be started: wanted, not verified, not already in flight. */
  isStartable(index: number): boolean;
  /** Priority of a piece: 0 = not wanted, higher goes first. */
  priority(index: number): number;
  /**
   * The highest priority of any piece not yet verified: no pick can beat a startable piece of
   * it (at the lowest availability), so a strategy may stop looking once it finds one.
   */
  readonly topPriority: number;
  /** Number of connected peers that have the piece. */
  availability(index: number): number;
}

/**
 * Chooses the next piece to start from those a peer has.
 * @example
 * ```ts
 * const strategy: PieceStrategy = new RarestFirst();
 * const index = strategy.pick(view, peerHas); // -1 when nothing fits
 * ```
 */
export interface PieceStrategy {
  /** Short name for logs and `--strategy`. */
  readonly name: string;
  /**
   * A startable piece that `peerHas` contains, of the highest priority available, or -1.
   * Every strategy honours priority first; it only chooses among pieces of equal priority.
   */
  pick(view: PickView, peerHas: PieceSet): number;
}
