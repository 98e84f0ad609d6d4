/**
 * Renders a section's result as a plain-text table: numbers right-aligned to their column's
 * decimal places, text left-aligned, "-" for a figure that could not be measured. Columns
 * with nothing in any row (say, "error" when nothing failed) are left out.
 * @module
 */

import type { Cell, SectionResult } from "./section.ts";

/**
 * The title, the table and the notes, ready to print.
 * @example
 * ```ts
 * formatSection({
 *   title: "demo",
 *   columns: [{ key: "client", header: "client" }, { key: "rate", header: "MiB/s", digits: 1 }],
 *   rows: [{ client: "ours", rate: 101.25 }],
 *   notes: [],
 * });
 * // "== demo ==\nclient  MiB/s\nours    101.3\n"
 * ```
 */
export function formatSection(result: SectionResult): string {
  const columns = result.columns.filter((c) =>
    result.rows.some((r) => r[c.key] !== null && r[c.key] !== undefined)
  );
  const cells = result.rows.map((row) => columns.map((c) => show(row[c.key], c.digits ?? 0)));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((row) => row[i].length))
  );
  const numeric = columns.map((c) => result.rows.some((r) => typeof r[c.key] === "number"));
  const line = (texts: string[]) =>
    texts.map((t, i) => numeric[i] ? t.padStart(widths[i]) : t.padEnd(widths[i]))
      .join("  ").trimEnd();
  const out = [`== ${result.title} ==`];
  if (columns.length > 0) out.push(line(columns.map((c) => c.header)), ...cells.map(line));
  for (const note of result.notes) out.push(`  * ${note}`);
  return out.join("\n") + "\n";
}

function show(cell: Cell | undefined, digits: number): string {
  if (cell === null || cell === undefined) return "-";
  if (typeof cell === "boolean") return cell ? "yes" : "NO";
  if (typeof cell === "number") return Number.isFinite(cell) ? cell.toFixed(digits) : "-";
  return cell;
}
