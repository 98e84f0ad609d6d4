/**
 * Runs `bench/main.ts` in-process with a results file of its own and reads the report back,
 * for the smoke tests.
 * @module
 */

import assert from "node:assert/strict";
import { type BenchReport, runBench } from "../../bench/main.ts";

/**
 * Runs the bench with `args` (plus `--out` in a temp folder, removed after) and returns its
 * report; fails the test, with the report, when the bench does not exit 0.
 * @example
 * ```ts
 * const report = await runBenchReport(["--only", "tui", "--size", "4", "--rounds", "1"]);
 * ```
 */
export async function runBenchReport(args: readonly string[]): Promise<BenchReport> {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/results.json`;
    const code = await runBench([...args, "--out", out]);
    const report = JSON.parse(await Deno.readTextFile(out)) as BenchReport;
    assert.equal(code, 0, JSON.stringify(report.sections, null, 2));
    return report;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
