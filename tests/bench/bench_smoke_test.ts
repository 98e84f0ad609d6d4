/**
 * The whole benchmark at a tiny size: `bench/main.ts --only download,tui --size 8 --rounds 1`
 * against real libtorrent, aria2 and our client. Asserts figures are produced and downloads
 * verified, never how fast anything is.
 */
import assert from "node:assert/strict";
import { runBench } from "../../bench/main.ts";
import { runBenchReport } from "./run_bench_report.ts";
import type { SectionResult } from "../../bench/section.ts";

Deno.test("bench smoke: download rows for every client at two sizes, TUI frame cost", async () => {
  const report = await runBenchReport(["--only", "download,tui", "--size", "8", "--rounds", "1"]);
  const download = report.sections.download as SectionResult;
  const rows = download.rows.map((r) => `${r.client}@${r.sizeMiB}`);
  assert.deepEqual(rows, ["ours@8", "aria2@8", "libtorrent@8", "ours@2"]);
  for (const row of download.rows) {
    const what = JSON.stringify(row);
    assert.equal(row.verified, "1/1", what);
    assert.equal(row.error, null, what);
    for (const key of ["mibPerSecond", "wallSeconds", "peakRssMiB", "anonPeakMiB"]) {
      assert.ok(typeof row[key] === "number" && (row[key] as number) > 0, `${key}: ${what}`);
    }
    assert.ok((row.vsFastest as number) > 0 && (row.vsFastest as number) <= 1, what);
  }
  assert.ok(download.rows.some((r) => r.vsFastest === 1));
  assert.ok(download.notes.some((n) => n.startsWith("memory flatness (ours)")));
  const tui = report.sections.tui as SectionResult;
  assert.ok((tui.rows[0].msPerFrame as number) > 0, JSON.stringify(tui));
});

Deno.test("bench: a wrong command line exits 2 without running anything", async () => {
  assert.equal(await runBench(["--only", "nonsense"]), 2);
});
