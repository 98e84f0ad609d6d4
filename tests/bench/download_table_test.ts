import assert from "node:assert/strict";
import {
  type DownloadAttempt,
  downloadRows,
  flatnessNote,
  summarizeDownloads,
} from "../../bench/download_table.ts";
import type { DownloadMeasurement } from "../../bench/measure_download.ts";

function measured(
  client: string,
  sizeMiB: number,
  wallSeconds: number,
  peakRssKiB = 100 * 1024,
): DownloadMeasurement {
  return {
    client,
    sizeMiB,
    wallSeconds,
    transferSeconds: wallSeconds / 2,
    peakRssKiB,
    anonPeakKiB: peakRssKiB / 2,
    cpu: { userSeconds: wallSeconds / 4, systemSeconds: wallSeconds / 4 },
    seedCpuSeconds: wallSeconds / 10,
    verified: true,
    notes: [],
  };
}

Deno.test("download rows: median round, spread, max memory, ratio to the fastest", () => {
  const attempts: DownloadAttempt[] = [
    measured("ours", 100, 4, 90 * 1024),
    measured("aria2", 100, 1),
    measured("ours", 100, 2, 120 * 1024),
    measured("ours", 100, 1),
    { client: "aria2", sizeMiB: 100, error: "timed out" },
  ];
  const [ours, aria2] = downloadRows(summarizeDownloads(attempts));
  assert.equal(ours.mibPerSecond, 50);
  assert.equal(ours.minMibPerSecond, 25);
  assert.equal(ours.maxMibPerSecond, 100);
  assert.equal(ours.vsFastest, 0.5);
  assert.equal(ours.transferMibPerSecond, 100);
  assert.equal(ours.peakRssMiB, 120);
  assert.equal(ours.cpuPercent, 50);
  assert.equal(ours.seedCpuPercent, 10);
  assert.equal(ours.verified, "3/3");
  assert.equal(ours.error, null);
  assert.equal(aria2.vsFastest, 1);
  assert.equal(aria2.verified, "1/2");
  assert.equal(aria2.error, "timed out");
});

Deno.test("download rows: a client with no verified round gets no rates", () => {
  const bad = { ...measured("ours", 8, 1), verified: false };
  const [row] = downloadRows(summarizeDownloads([bad]));
  assert.equal(row.mibPerSecond, undefined);
  assert.equal(row.verified, "0/1");
  assert.equal(row.error, "downloaded file does not match the payload");
});

Deno.test("flatness note compares the smallest and largest size", () => {
  const summaries = summarizeDownloads([
    measured("ours", 1024, 8, 200 * 1024),
    measured("aria2", 1024, 8),
    measured("ours", 256, 2, 160 * 1024),
  ]);
  assert.match(
    flatnessNote(summaries, "ours") ?? "",
    /peak RSS 160\.0 MiB at 256 MiB of data, 200\.0 MiB at 1024 MiB \(x1\.25 for x4 data\)/,
  );
  assert.equal(flatnessNote(summaries, "aria2"), undefined);
});
