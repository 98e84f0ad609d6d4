/**
 * Text measured the way a terminal draws it: grapheme clusters of width 0, 1 or 2 cells
 * (east-asian wide characters and emoji take two). Text from the network (names, paths, client
 * strings, log lines) may hold control characters; they are replaced so they can never become
 * escape sequences on the user's terminal.
 * @module
 */

import stringWidth from "string-width";

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// C0, DEL and C1 controls. Tabs too: their width depends on the cursor column.
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;
const widthCache = new Map<string, number>();

/**
 * The text with every control character replaced by U+FFFD.
 * @example
 * ```ts
 * sanitize("a\x1b[2Jb"); // "a\uFFFD[2Jb"
 * ```
 */
export function sanitize(text: string): string {
  return text.replace(CONTROL, "\uFFFD");
}

/**
 * Cells a single grapheme cluster takes: 0, 1 or 2.
 * @example
 * ```ts
 * graphemeWidth("中"); // 2
 * ```
 */
export function graphemeWidth(grapheme: string): number {
  if (grapheme.length === 1) {
    const c = grapheme.charCodeAt(0);
    if (c >= 0x20 && c < 0x7f) return 1;
  }
  let w = widthCache.get(grapheme);
  if (w === undefined) {
    w = Math.min(2, stringWidth(grapheme));
    if (widthCache.size > 8192) widthCache.clear();
    widthCache.set(grapheme, w);
  }
  return w;
}

/**
 * Calls `visit` with each grapheme cluster of the (sanitized) text and its width, in order,
 * until it returns false.
 * @example
 * ```ts
 * forEachGrapheme("a中", (g, w) => console.log(g, w)); // a 1, 中 2
 * ```
 */
export function forEachGrapheme(
  text: string,
  visit: (grapheme: string, width: number) => boolean | void,
): void {
  if (PRINTABLE_ASCII.test(text)) {
    for (let i = 0; i < text.length; i++) if (visit(text[i], 1) === false) return;
    return;
  }
  for (const { segment } of segmenter.segment(sanitize(text))) {
    if (visit(segment, graphemeWidth(segment)) === false) return;
  }
}

/**
 * Width of the text in terminal cells.
 * @example
 * ```ts
 * textWidth("ab中"); // 4
 * ```
 */
export function textWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let w = 0;
  forEachGrapheme(text, (_, gw) => {
    w += gw;
  });
  return w;
}

function takeStart(text: string, width: number): string {
  let out = "";
  let used = 0;
  forEachGrapheme(text, (g, w) => {
    if (used + w > width) return false;
    out += g;
    used += w;
  });
  return out;
}

function takeEnd(text: string, width: number): string {
  const parts: Array<[string, number]> = [];
  forEachGrapheme(text, (g, w) => {
    parts.push([g, w]);
  });
  let out = "";
  let used = 0;
  for (let i = parts.length - 1; i >= 0; i--) {
    const [g, w] = parts[i];
    if (used + w > width) break;
    out = g + out;
    used += w;
  }
  return out;
}

/** Where {@linkcode truncate} cuts: "middle" keeps both a path's start and its extension. */
export type Cut = "end" | "start" | "middle";

/**
 * The text cut to at most `width` cells, marking the cut with "…".
 * @example
 * ```ts
 * truncate("movies/big_buck_bunny.mkv", 12, "start"); // "…_bunny.mkv"
 * truncate("movies/big_buck_bunny.mkv", 12, "middle"); // "movie…ny.mkv"
 * ```
 */
export function truncate(text: string, width: number, cut: Cut = "end"): string {
  if (width <= 0) return "";
  const clean = sanitize(text);
  if (textWidth(clean) <= width) return clean;
  if (cut === "end") return takeStart(clean, width - 1) + "…";
  if (cut === "start") return "…" + takeEnd(clean, width - 1);
  const head = takeStart(clean, Math.floor((width - 1) / 2));
  return head + "…" + takeEnd(clean, width - 1 - textWidth(head));
}

/**
 * The text truncated and padded with spaces to exactly `width` cells.
 * @example
 * ```ts
 * fit("42%", 5, "right"); // "  42%"
 * ```
 */
export function fit(
  text: string,
  width: number,
  align: "left" | "right" | "center" = "left",
  cut: Cut = "end",
): string {
  const t = truncate(text, width, cut);
  const gap = width - textWidth(t);
  if (gap <= 0) return t;
  if (align === "left") return t + " ".repeat(gap);
  if (align === "right") return " ".repeat(gap) + t;
  const left = Math.floor(gap / 2);
  return " ".repeat(left) + t + " ".repeat(gap - left);
}

/**
 * The text cut into lines of at most `width` cells, anywhere (not at word breaks): for URLs,
 * which have no spaces and must be shown whole.
 * @example
 * ```ts
 * wrapCells("http://127.0.0.1:8888/0/hls/index.m3u8", 20);
 * // ["http://127.0.0.1:888", "8/0/hls/index.m3u8"]
 * ```
 */
export function wrapCells(text: string, width: number): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  let line = "";
  let used = 0;
  forEachGrapheme(text, (g, w) => {
    if (used + w > width) {
      lines.push(line);
      line = "";
      used = 0;
    }
    line += g;
    used += w;
  });
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}
