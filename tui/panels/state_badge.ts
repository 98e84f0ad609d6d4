/**
 * How each torrent state is shown: a glyph, a word and a colour, so the state reads at a glance
 * with or without colour.
 * @module
 */

import type { TorrentState } from "../../src/torrent/snapshot.ts";
import type { Style } from "../style.ts";
import { theme } from "../theme.ts";
import type { Span } from "../widgets/spans.ts";

const LOOK: Record<TorrentState, { glyph: string; style: Style }> = {
  checking: { glyph: "↻", style: theme.warnBold },
  metadata: { glyph: "…", style: theme.accentBold },
  downloading: { glyph: "▼", style: theme.downBold },
  seeding: { glyph: "▲", style: theme.upBold },
  paused: { glyph: "‖", style: theme.warnBold },
  done: { glyph: "✔", style: theme.downBold },
  error: { glyph: "✖", style: theme.badBold },
};

/**
 * The state as a span, e.g. "▼ downloading" in green.
 * @example
 * ```ts
 * stateBadge("paused"); // { text: "‖ paused", style: theme.warnBold }
 * ```
 */
export function stateBadge(state: TorrentState): Span {
  const look = LOOK[state];
  return { text: `${look.glyph} ${state}`, style: look.style };
}
