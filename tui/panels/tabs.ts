/**
 * The panel strip of the compact layout, where only the focused panel fits on screen: it names
 * every panel so Tab has somewhere visible to go.
 * @module
 */

import type { CellBuffer, Rect } from "../cell_buffer.ts";
import { type PanelId, PANELS } from "../layout.ts";
import { withStyle } from "../style.ts";
import { theme } from "../theme.ts";
import { drawSpans, type Span } from "../widgets/spans.ts";

/**
 * Panel names as the strip shows them.
 * @example
 * ```ts
 * PANEL_NAMES.trackers; // "Trackers"
 * ```
 */
export const PANEL_NAMES: Readonly<Record<PanelId, string>> = {
  peers: "Peers",
  pieces: "Pieces",
  rates: "Rates",
  files: "Files",
  trackers: "Trackers",
};

// Underlined as well as coloured, so the current panel shows without colour too.
const CURRENT = withStyle(theme.titleFocus, { underline: true });

/**
 * Draws "Peers  Pieces  Rates  Files  Trackers" with the focused one in the accent colour.
 * @example
 * ```ts
 * renderTabs(buf, { x: 0, y: 2, width: 60, height: 1 }, "files");
 * ```
 */
export function renderTabs(buf: CellBuffer, rect: Rect, focus: PanelId): void {
  const spans: Span[] = [];
  for (const id of PANELS) {
    if (spans.length > 0) spans.push({ text: "  ", style: theme.plain });
    spans.push({
      text: PANEL_NAMES[id],
      style: id === focus ? CURRENT : theme.dim,
    });
  }
  drawSpans(buf, rect.x + 1, rect.y, spans, rect.width - 2);
}
