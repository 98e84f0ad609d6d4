/**
 * Scrolling tables with a header row, aligned columns that drop by priority when the panel is
 * narrow, one flexible column that takes the spare width, and a highlighted selected row.
 * @module
 */

import type { CellBuffer, Rect } from "../cell_buffer.ts";
import type { Style } from "../style.ts";
import { type Cut, fit, textWidth, truncate } from "../text.ts";
import { selected as selectedStyle, theme } from "../theme.ts";
import type { Span } from "./spans.ts";

/** One column of a table of `Row`s. */
export interface Column<Row> {
  readonly title: string;
  /** Cells wide; for the flexible column, the least it needs. */
  readonly width: number;
  /** Takes the width left over (one column a table). */
  readonly flex?: boolean;
  readonly align?: "left" | "right";
  /** Where long text is cut (see {@linkcode Cut}). */
  readonly cut?: Cut;
  /** Higher survives longer when the table is too narrow. */
  readonly keep: number;
  /** The cell: plain text in the row style, or styled spans. */
  readonly cell: (row: Row, width: number) => string | readonly Span[];
}

/** A column placed at an x offset with its final width. */
export interface PlacedColumn<Row> {
  readonly column: Column<Row>;
  readonly x: number;
  readonly width: number;
}

/**
 * Places columns in `width` cells (one space between them), dropping the lowest-`keep` columns
 * until the rest fit, and widening the flexible column into the spare room.
 * @example
 * ```ts
 * placeColumns(columns, 80);
 * ```
 */
export function placeColumns<Row>(
  columns: readonly Column<Row>[],
  width: number,
): PlacedColumn<Row>[] {
  const kept = [...columns];
  const need = () => kept.reduce((w, c) => w + c.width, 0) + Math.max(0, kept.length - 1);
  while (kept.length > 1 && need() > width) {
    let drop = kept.length - 1;
    for (let i = kept.length - 1; i >= 0; i--) if (kept[i].keep < kept[drop].keep) drop = i;
    kept.splice(drop, 1);
  }
  const spare = Math.max(0, width - need());
  const flex = kept.findIndex((c) => c.flex);
  const out: PlacedColumn<Row>[] = [];
  let x = 0;
  kept.forEach((column, i) => {
    const w = Math.min(column.width + (i === flex ? spare : 0), Math.max(0, width - x));
    out.push({ column, x, width: w });
    x += w + 1;
  });
  return out;
}

/**
 * The first visible row that keeps `selectedRow` on screen, moving `scroll` as little as possible.
 * @example
 * ```ts
 * scrollFor(0, 25, 10, 100); // 16
 * ```
 */
export function scrollFor(scroll: number, selectedRow: number, visible: number, total: number) {
  if (visible <= 0) return 0;
  let s = Math.min(scroll, Math.max(0, total - visible));
  if (selectedRow < s) s = selectedRow;
  if (selectedRow >= s + visible) s = selectedRow - visible + 1;
  return Math.max(0, s);
}

/** How a table is drawn this frame. */
export interface TableView {
  /** Index of the selected row, or -1 for none. */
  readonly selected: number;
  /** First visible row (already adjusted with {@linkcode scrollFor}). */
  readonly scroll: number;
  /** Highlight the selection only in the focused panel. */
  readonly focused: boolean;
  /** Title of the column the rows are sorted by, marked in the header. */
  readonly sortedBy?: string;
  /** Row style per row (plain text cells use it). */
  readonly rowStyle?: (index: number) => Style;
}

function drawCell(
  buf: CellBuffer,
  x: number,
  y: number,
  width: number,
  content: string | readonly Span[],
  align: "left" | "right",
  cut: Cut,
  base: Style,
  select: boolean,
): void {
  const spans = typeof content === "string"
    ? [{ text: truncate(content, width, cut), style: base }]
    : content;
  let used = 0;
  for (const s of spans) used += textWidth(s.text);
  let cx = align === "right" && used < width ? x + width - used : x;
  for (const s of spans) {
    const left = x + width - cx;
    if (left <= 0) break;
    cx += buf.text(cx, y, s.text, select ? selectedStyle(s.style) : s.style, left);
  }
}

/**
 * Draws a header row and the visible rows of a table into `rect`.
 * @example
 * ```ts
 * drawTable(buf, inner, columns, peers, { selected: 3, scroll: 0, focused: true });
 * ```
 */
export function drawTable<Row>(
  buf: CellBuffer,
  rect: Rect,
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  view: TableView,
): void {
  if (rect.width <= 0 || rect.height <= 0) return;
  const placed = placeColumns(columns, rect.width);
  for (const p of placed) {
    const sorted = p.column.title === view.sortedBy;
    const title = sorted ? `${p.column.title}▾` : p.column.title;
    const style = sorted ? theme.tableHeaderSorted : theme.tableHeader;
    buf.text(rect.x + p.x, rect.y, fit(title, p.width, p.column.align ?? "left"), style);
  }
  const visible = rect.height - 1;
  for (let r = 0; r < visible; r++) {
    const index = view.scroll + r;
    if (index >= rows.length) break;
    const y = rect.y + 1 + r;
    const isSelected = view.focused && index === view.selected;
    const base = view.rowStyle?.(index) ?? theme.plain;
    if (isSelected) buf.fill({ x: rect.x, y, width: rect.width, height: 1 }, selectedStyle(base));
    for (const p of placed) {
      const content = p.column.cell(rows[index], p.width);
      drawCell(
        buf,
        rect.x + p.x,
        y,
        p.width,
        content,
        p.column.align ?? "left",
        p.column.cut ?? "end",
        base,
        isSelected,
      );
    }
  }
}
