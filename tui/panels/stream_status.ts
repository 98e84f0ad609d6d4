/**
 * The streaming figures (with `--stream`): seek latency, streams being sent, the server's URL.
 * They sit after the download figures in the header and drop out before them on narrow screens,
 * latency last, because it is the figure a user watching a video cares about.
 * @module
 */

import type { StreamSnapshot } from "../../src/torrent/snapshot.ts";
import { theme } from "../theme.ts";
import type { Segment, Span } from "../widgets/spans.ts";

/**
 * Milliseconds as the header shows them: tenths below 10 ms, whole ms above; "–" when unknown.
 * @example
 * ```ts
 * msText(42.3); // "42 ms"
 * msText(3.25); // "3.3 ms"
 * msText(undefined); // "–"
 * ```
 */
export function msText(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "–";
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/**
 * "seek 42 ms, median 55 ms", or "seek –" before the first seek.
 * @example
 * ```ts
 * seekText({ lastSeekMs: 42, medianSeekMs: 55 }); // "seek 42 ms, median 55 ms"
 * ```
 */
export function seekText(s: Pick<StreamSnapshot, "lastSeekMs" | "medianSeekMs">): string {
  if (s.lastSeekMs === undefined && s.medianSeekMs === undefined) return "seek –";
  return `seek ${msText(s.lastSeekMs)}, median ${msText(s.medianSeekMs)}`;
}

/**
 * The header segments for a running stream server: latency (keep 4), streams (1), URL (2).
 * @example
 * ```ts
 * joinSegments(fitSegments(streamSegments(snapshot.stream), 60, 3), 3, theme.plain);
 * ```
 */
export function streamSegments(s: StreamSnapshot): Segment[] {
  const seek: Span[] = s.lastSeekMs === undefined && s.medianSeekMs === undefined
    ? [{ text: seekText(s), style: theme.dim }]
    : [
      { text: "seek ", style: theme.dim },
      { text: msText(s.lastSeekMs), style: theme.bold },
      { text: ", median ", style: theme.dim },
      { text: msText(s.medianSeekMs), style: theme.plain },
    ];
  const n = s.activeStreams;
  return [
    { keep: 4, spans: [{ text: "▸ ", style: theme.accent }, ...seek] },
    {
      keep: 1,
      spans: [
        { text: String(n), style: n > 0 ? theme.bold : theme.dim },
        { text: n === 1 ? " stream" : " streams", style: theme.dim },
      ],
    },
    { keep: 2, spans: [{ text: s.url, style: theme.accent }] },
  ];
}
