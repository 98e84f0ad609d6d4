/**
 * The transient message over the bottom of the screen (in place of the key hints). A URL in it
 * is never cut: it goes on the same line when it fits, else it wraps onto lines above.
 * @module
 */

import type { CellBuffer, Rect } from "../cell_buffer.ts";
import { textWidth, truncate, wrapCells } from "../text.ts";
import { theme } from "../theme.ts";
import type { UiMessage } from "../ui_state.ts";
import { drawSpans, type Span } from "../widgets/spans.ts";

const INDENT = 3;

/**
 * The message as lines of spans for a screen `width` cells wide.
 * @example
 * ```ts
 * messageLines({ tone: "warn", text: "start with --stream to play files" }, 80);
 * ```
 */
export function messageLines(message: UiMessage, width: number): Span[][] {
  const room = width - 2;
  const mark: Span = message.tone === "warn"
    ? { text: "! ", style: theme.warnBold }
    : { text: "● ", style: theme.accent };
  const text: Span = {
    text: truncate(message.text, room - 2),
    style: message.tone === "warn" ? theme.warn : theme.plain,
  };
  const url = message.url;
  if (url === undefined) return [[mark, text]];
  if (textWidth(message.text) + 2 + 1 + textWidth(url) <= room) {
    return [[mark, text, { text: " ", style: theme.plain }, { text: url, style: theme.link }]];
  }
  const rest = wrapCells(url, room - INDENT).map((part) => [
    { text: " ".repeat(INDENT), style: theme.plain },
    { text: part, style: theme.link },
  ]);
  return [[mark, text], ...rest];
}

/**
 * Draws the message on the bottom rows of `screen`, clearing them first.
 * @example
 * ```ts
 * if (ui.message) renderMessage(buf, { x: 0, y: 0, width: 80, height: 24 }, ui.message);
 * ```
 */
export function renderMessage(buf: CellBuffer, screen: Rect, message: UiMessage): void {
  if (screen.width < 4 || screen.height < 1) return;
  const lines = messageLines(message, screen.width);
  // On a very short screen the URL matters more than the note before it.
  const shown = lines.slice(Math.max(0, lines.length - screen.height));
  const top = screen.y + screen.height - shown.length;
  buf.fill({ x: screen.x, y: top, width: screen.width, height: shown.length });
  shown.forEach((spans, i) => drawSpans(buf, screen.x + 1, top + i, spans, screen.width - 2));
}
