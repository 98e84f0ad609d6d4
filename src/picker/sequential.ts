/**
 * Sequential: among the startable pieces of the highest priority, the lowest index. Good for
 * streaming a file from its start; bad for the swarm, so it is not the default.
 * @module
 */

import type { PieceSet } from "./piece_picker.ts";
import type { PickView, PieceStrategy } from "./piece_strategy.ts";

/**
 * In-order picking.
 * @example
 * ```ts
 * new Sequential().pick(view, peerHas); // lowest startable index of the top priority
 * ```
 */
export class Sequential implements PieceStrategy {
  readonly name = "sequential";

  pick(view: PickView, peerHas: PieceSet): number {
    let best = -1;
    let bestPriority = 0;
    for (let i = 0; i < view.pieceCount; i++) {
      if (!peerHas.has(i) || !view.isStartable(i)) continue;
      const priority = view.priority(i);
      if (priority > bestPriority) {
        best = i;
        bestPriority = priority;
        if (priority >= view.topPriority) break; // the first piece of the top priority
      }
    }
    return best;
  }
}
