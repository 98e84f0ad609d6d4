/**
 * A bordered panel with a title in the top edge and an optional note in the bottom edge. The
 * focused panel gets heavy lines as well as the accent colour, so focus stays visible without
 * colour.
 * @module
 */

import { type CellBuffer, inset, type Rect } from "../cell_buffer.ts";
import { theme } from "../theme.ts";
import { truncate } from "../text.ts";
import { drawSpans, type Span, spansWidth } from "./spans.ts";

const LIGHT = { tl: "╭", tr: "╮", bl: "╰", br: "╯", h: "─", v: "│" };
const HEAVY = { tl: "┏", tr: "┓", bl: "┗", br: "┛", h: "━", v: "┃" };

/** What goes in a box's edges. */
export interface BoxOptions {
  /** Title text; drawn bold (accent when focused). */
  readonly title: string;
  /** Extra spans after the title, e.g. counts or the sort key. */
  readonly info?: readonly Span[];
  /** Right-aligned in the bottom edge, e.g. "1-20 of 200". */
  readonly footer?: string;
  readonly focused?: boolean;
}

/**
 * Draws the box and returns the rectangle inside it. Boxes under 2x2 draw nothing.
 * @example
 * ```ts
 * const inner = drawBox(buf, rect, { title: "Peers", focused: true });
 * ```
 */
export function drawBox(buf: CellBuffer, rect: Rect, options: BoxOptions): Rect {
  const { x, y, width, height } = rect;
  if (width < 2 || height < 2) return { x, y, width: 0, height: 0 };
  const lines = options.focused ? HEAVY : LIGHT;
  const border = options.focused ? theme.borderFocus : theme.border;
  const right = x + width - 1;
  const bottom = y + height - 1;
  for (let cx = x + 1; cx < right; cx++) {
    buf.set(cx, y, lines.h, 1, border);
    buf.set(cx, bottom, lines.h, 1, border);
  }
  for (let cy = y + 1; cy < bottom; cy++) {
    buf.set(x, cy, lines.v, 1, border);
    buf.set(right, cy, lines.v, 1, border);
  }
  buf.set(x, y, lines.tl, 1, border);
  buf.set(right, y, lines.tr, 1, border);
  buf.set(x, bottom, lines.bl, 1, border);
  buf.set(right, bottom, lines.br, 1, border);

  const room = width - 4;
  if (room > 0) {
    const titleStyle = options.focused ? theme.titleFocus : theme.title;
    const spans: Span[] = [{ text: ` ${truncate(options.title, room - 2)} `, style: titleStyle }];
    if (options.info && spansWidth(spans) + spansWidth(options.info) + 1 <= room) {
      spans.push(...options.info, { text: " ", style: theme.dim });
    }
    drawSpans(buf, x + 2, y, spans, room);
    if (options.footer) {
      const note = ` ${truncate(options.footer, room - 2)} `;
      buf.text(right - 1 - spansWidth([{ text: note, style: theme.dim }]), bottom, note, theme.dim);
    }
  }
  return inset(rect, 1);
}
