/**
 * The two header lines of the torrent view: name, state and rates; then a progress bar with
 * percent, sizes and ETA, and with `--stream` the seek latency, streams and server URL. Less
 * important figures drop out on narrow screens.
 * @module
 */

import type { TorrentSnapshot } from "../../src/torrent/snapshot.ts";
import { formatBytes, formatDuration, formatRate } from "../../src/util/format.ts";
import type { CellBuffer, Rect } from "../cell_buffer.ts";
import { truncate } from "../text.ts";
import { theme } from "../theme.ts";
import { percentText, progressFraction, ratioText } from "../torrent_stats.ts";
import { drawBar } from "../widgets/bar.ts";
import {
  drawSpans,
  fitSegments,
  joinSegments,
  type Segment,
  type Span,
  spansWidth,
} from "../widgets/spans.ts";
import { stateBadge } from "./state_badge.ts";
import { streamSegments } from "./stream_status.ts";

const GAP = 3;

function rightSegments(s: TorrentSnapshot): Segment[] {
  return [
    {
      keep: 5,
      spans: [{ text: "↓ ", style: theme.down }, {
        text: formatRate(s.downRate),
        style: theme.downBold,
      }],
    },
    {
      keep: 4,
      spans: [{ text: "↑ ", style: theme.up }, { text: formatRate(s.upRate), style: theme.upBold }],
    },
    {
      keep: 2,
      spans: [{ text: "ratio ", style: theme.dim }, { text: ratioText(s), style: theme.plain }],
    },
    {
      keep: 3,
      spans: [{ text: String(s.peers.length), style: theme.bold }, {
        text: s.peers.length === 1 ? " peer" : " peers",
        style: theme.dim,
      }],
    },
  ];
}

function statusSegments(s: TorrentSnapshot): Segment[] {
  const f = progressFraction(s);
  const segments: Segment[] = [{ keep: 9, spans: [{ text: percentText(f), style: theme.bold }] }];
  segments.push({
    keep: 3,
    spans: [
      { text: formatBytes(s.verifiedBytes), style: theme.plain },
      { text: " / ", style: theme.dim },
      { text: formatBytes(s.wantedBytes), style: theme.plain },
    ],
  });
  if (s.state === "downloading") {
    segments.push({
      keep: 5,
      spans: [{ text: "ETA ", style: theme.dim }, {
        text: s.etaSeconds === undefined ? "∞" : formatDuration(s.etaSeconds),
        style: theme.bold,
      }],
    });
  }
  if (s.stream) segments.push(...streamSegments(s.stream));
  return segments;
}

/**
 * Draws the header into a rectangle two rows high.
 * @example
 * ```ts
 * renderHeader(buf, { x: 0, y: 0, width: 160, height: 2 }, snapshot);
 * ```
 */
export function renderHeader(buf: CellBuffer, rect: Rect, s: TorrentSnapshot): void {
  if (rect.height < 1 || rect.width < 4) return;
  const inner = rect.width - 2;
  const x = rect.x + 1;

  // Line 1: name and state left, rates and peers right; the name keeps at least 16 cells.
  const badge = stateBadge(s.state);
  const left: Span[] = [{ text: "  ", style: theme.plain }, badge];
  const minLeft = Math.min(16, inner) + spansWidth(left);
  const right = joinSegments(
    fitSegments(rightSegments(s), Math.max(0, inner - minLeft - GAP), GAP),
    GAP,
    theme.plain,
  );
  const rightW = spansWidth(right);
  const nameRoom = inner - rightW - (rightW > 0 ? GAP : 0) - spansWidth(left);
  const name = truncate(s.name, Math.max(1, nameRoom));
  drawSpans(buf, x, rect.y, [{ text: name, style: theme.bold }, ...left], inner - rightW);
  drawSpans(buf, x + inner - rightW, rect.y, right, rightW);
  if (rect.height < 2) return;

  // Line 2: progress bar, then percent, sizes and ETA (or the error).
  const y = rect.y + 1;
  if (s.state === "error") {
    drawSpans(buf, x, y, [{ text: "✖ ", style: theme.badBold }, {
      text: s.error ?? "unknown error",
      style: theme.bad,
    }], inner);
    return;
  }
  const status = joinSegments(
    fitSegments(statusSegments(s), Math.max(0, inner - 12), GAP),
    GAP,
    theme.plain,
  );
  const statusW = spansWidth(status);
  const barW = inner - statusW - 2;
  const dim = s.state === "paused" || s.state === "checking";
  if (barW >= 4) {
    drawBar(buf, x, y, barW, progressFraction(s), dim ? theme.dim : theme.barFill, theme.barEmpty);
    drawSpans(buf, x + barW + 2, y, status, statusW);
  } else {
    drawSpans(buf, x, y, status, inner);
  }
}
