/**
 * Rarest-first: among the startable pieces of the highest priority, the one fewest peers have,
 * ties broken at random so that peers starting together spread over different pieces.
 * @module
 */

import type { PieceSet } from "./piece_picker.ts";
import type { PickView, PieceStrategy } from "./piece_strategy.ts";

/**
 * The default strategy.
 * @example
 * ```ts
 * const strategy = new RarestFirst(() => 0.5);
 * strategy.pick(view, peerHas);
 * ```
 */
export class RarestFirst implements PieceStrategy {
  readonly name = "rarest-first";
  readonly #random: () => number;

  /** @param random source of randomness in [0, 1), injectable for deterministic tests. */
  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  pick(view: PickView, peerHas: PieceSet): number {
    let best = -1;
    let bestPriority = 0;
    let bestAvailability = Infinity;
    let ties = 0;
    for (let i = 0; i < view.pieceCount; i++) {
      if (!peerHas.has(i) || !view.isStartable(i)) continue;
      const priority = view.priority(i);
      if (priority < bestPriority) continue;
      const availability = view.availability(i);
      if (priority > bestPriority || availability < bestAvailability) {
        best = i;
        bestPriority = priority;
        bestAvailability = availability;
        ties = 1;
      } else if (availability === bestAvailability) {
        // Reservoir sampling: each of the tied pieces ends up chosen with equal chance.
        ties++;
        if (this.#random() * ties < 1) best = i;
      }
    }
    return best;
  }
}
