/**
 * What every benchmark section is: a named function that measures something against real
 * clients in the same run and returns rows of figures, which `main.ts` prints as a table and
 * stores as JSON. Figures are compared as ratios between clients, never against fixed times.
 * @module
 */

import type { PayloadCache } from "./bench_payloads.ts";

/** One cell: a figure, a label, or `null` when it could not be measured. */
export type Cell = string | number | boolean | null;

/** One row of a section's table, keyed by column. */
export type BenchRow = Readonly<Record<string, Cell>>;

/** How a column is shown. */
export interface Column {
  readonly key: string;
  readonly header: string;
  /** Decimal places for numbers; default 0. */
  readonly digits?: number;
}

/** What a section measured. */
export interface SectionResult {
  readonly title: string;
  readonly columns: readonly Column[];
  readonly rows: readonly BenchRow[];
  /** How to read the figures and anything odd seen while measuring. */
  readonly notes: readonly string[];
}

/** What a section is given. */
export interface BenchContext {
  /** Payload size in MiB for sections that move data (`--size`). */
  readonly sizeMiB: number;
  /** How many times sections that time clients run each one (`--rounds`). */
  readonly rounds: number;
  /** A temp dir for this run, removed at its end. */
  readonly workDir: string;
  /** Payloads shared by every section of the run, made on first use. */
  readonly payloads: PayloadCache;
  /**
   * What the sections run before this one in the same run gave (name → result or error), so a
   * section can set its figures beside another's without measuring them twice.
   */
  readonly earlier: Readonly<Record<string, SectionResult | { readonly error: string }>>;
  /** A progress line on stderr, so stdout keeps only the tables. */
  log(line: string): void;
}

/** A benchmark section in the registry. */
export interface Section {
  /** What `--only` selects it by. */
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  run(context: BenchContext): Promise<SectionResult>;
}
