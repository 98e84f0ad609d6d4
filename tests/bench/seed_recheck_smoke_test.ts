/**
 * The seed and recheck sections at a tiny size through `bench/main.ts` (registry, --only,
 * JSON): real libtorrent, aria2, sha1sum and our client. Asserts figures are produced and
 * every download verified, never how fast anything is.
 */
import assert from "node:assert/strict";
import { runBenchReport } from "./run_bench_report.ts";
import type { SectionResult } from "../../bench/section.ts";

Deno.test("bench smoke: seed pairs (ours and libtorrent to libtorrent and aria2), recheck", async () => {
  const report = await runBenchReport(["--only", "seed,recheck", "--size", "4", "--rounds", "1"]);
  assert.deepEqual(Object.keys(report.sections), ["seed", "recheck"]);

  const seed = report.sections.seed as SectionResult;
  assert.deepEqual(seed.rows.map((r) => `${r.seeder}>${r.downloader}`), [
    "ours>libtorrent",
    "libtorrent>libtorrent",
    "ours>aria2",
    "libtorrent>aria2",
  ]);
  for (const row of seed.rows) {
    const what = JSON.stringify(row);
    assert.equal(row.verified, "1/1", what);
    assert.equal(row.error, null, what);
    for (const key of ["mibPerSecond", "transferMibPerSecond", "vsLibtorrentSeed"]) {
      assert.ok(typeof row[key] === "number" && (row[key] as number) > 0, `${key}: ${what}`);
    }
  }
  assert.equal(seed.rows[1].vsLibtorrentSeed, 1);
  assert.ok(seed.notes.some((n) => /^ours seed: peak RSS \d/.test(n)), seed.notes.join("\n"));

  const recheck = report.sections.recheck as SectionResult;
  assert.deepEqual(recheck.rows.map((r) => r.tool), ["sha1sum", "ours --recheck"]);
  const [sha1sum, ours] = recheck.rows;
  assert.equal(sha1sum.vsSha1sum, 1);
  for (const key of ["mibPerSecond", "vsSha1sum", "checkSeconds", "startupSeconds"]) {
    assert.ok(typeof ours[key] === "number" && (ours[key] as number) > 0, `${key}: ${ours}`);
  }
  // The check is timed apart from start-up: it cannot exceed the whole run.
  assert.ok((ours.checkSeconds as number) < (ours.wallSeconds as number));
});

Deno.test("bench --help lists the seed, recheck, stream and transcode sections", async () => {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../bench/main.ts", import.meta.url).pathname, "--help"],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  });
  const { code, stdout } = await command.output();
  const text = new TextDecoder().decode(stdout);
  assert.equal(code, 0);
  for (const name of ["seed", "recheck", "stream", "transcode"]) {
    assert.match(text, new RegExp(`^  ${name} +\\S`, "m"));
  }
});
