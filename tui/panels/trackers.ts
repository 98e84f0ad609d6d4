/**
 * Trackers (status, peers given, seeders/leechers, next announce, last error) above the event
 * log (newest at the bottom; Up/Down scroll back when the panel has focus).
 * @module
 */

import type { LogLine, TorrentSnapshot, TrackerSnapshot } from "../../src/torrent/snapshot.ts";
import { formatDuration } from "../../src/util/format.ts";
import type { CellBuffer, Rect } from "../cell_buffer.ts";
import type { Style } from "../style.ts";
import { theme } from "../theme.ts";
import type { UiState } from "../ui_state.ts";
import { drawBox } from "../widgets/box.ts";
import { drawSpans, type Span, spansWidth } from "../widgets/spans.ts";
import { truncate } from "../text.ts";

const STATUS_STYLE: Record<TrackerSnapshot["status"], Style> = {
  ok: theme.good,
  announcing: theme.accent,
  idle: theme.dim,
  backoff: theme.warn,
  error: theme.bad,
};

const LEVEL_STYLE: Record<LogLine["level"], Style> = {
  info: theme.plain,
  warn: theme.warn,
  error: theme.bad,
};

function trackerDetail(t: TrackerSnapshot, now: number): Span {
  if (t.lastError && (t.status === "error" || t.status === "backoff")) {
    return { text: `↳ ${t.lastError}`, style: theme.bad };
  }
  const parts = [`${t.peers} peers`];
  if (t.seeders !== undefined) parts.push(`${t.seeders} seeders`);
  if (t.leechers !== undefined) parts.push(`${t.leechers} leechers`);
  if (t.nextAnnounceAt !== undefined) {
    parts.push(`next in ${formatDuration(Math.max(0, (t.nextAnnounceAt - now) / 1000))}`);
  }
  return { text: parts.join(" · "), style: theme.dim };
}

/**
 * The log line's local wall-clock time, "HH:MM:SS".
 * @example
 * ```ts
 * clockTime(Date.now());
 * ```
 */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function drawTracker(buf: CellBuffer, x: number, y: number, w: number, t: TrackerSnapshot) {
  const style = STATUS_STYLE[t.status];
  const head: Span[] = [{ text: "● ", style }, { text: t.status.padEnd(11), style }];
  drawSpans(buf, x, y, [...head, {
    text: truncate(t.url, w - spansWidth(head)),
    style: theme.plain,
  }], w);
}

/**
 * Draws the trackers and log panel.
 * @example
 * ```ts
 * renderTrackers(buf, rect, snapshot, ui, Date.now());
 * ```
 */
export function renderTrackers(
  buf: CellBuffer,
  rect: Rect,
  s: TorrentSnapshot,
  ui: UiState,
  now: number,
): void {
  const focused = ui.focus === "trackers";
  const inner = drawBox(buf, rect, {
    title: "Trackers & log",
    footer: ui.logBack > 0 ? `${ui.logBack} newer ↓` : undefined,
    focused,
  });
  if (inner.width <= 2 || inner.height <= 0) return;
  const x = inner.x + 1;
  const w = inner.width - 2;
  const bottom = inner.y + inner.height;
  let y = inner.y;
  // Trackers (two lines each: URL, then figures or the last error) get at most half the panel.
  const trackerEnd = inner.y + Math.max(1, Math.floor(inner.height / 2));
  if (s.trackers.length === 0) buf.text(x, y++, "No trackers", theme.dim, w);
  for (const t of s.trackers) {
    if (y >= trackerEnd) break;
    drawTracker(buf, x, y++, w, t);
    if (y < trackerEnd) {
      const detail = trackerDetail(t, now);
      buf.text(x + 13, y++, truncate(detail.text, w - 13), detail.style);
    }
  }
  if (y >= bottom - 1) return;
  buf.text(x, y, "─".repeat(w), theme.faint, w);
  buf.text(x + 2, y++, " log ", theme.dim, w - 2);
  const rows = bottom - y;
  const end = Math.max(0, s.log.length - ui.logBack);
  const lines = s.log.slice(Math.max(0, end - rows), end);
  if (lines.length === 0) buf.text(x, y, "Nothing logged yet", theme.dim, w);
  for (const line of lines) {
    const used = buf.text(x, y, `${clockTime(line.at)} `, theme.dim, w);
    buf.text(x + used, y, truncate(line.text, w - used), LEVEL_STYLE[line.level]);
    y++;
  }
}
