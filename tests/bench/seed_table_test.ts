import assert from "node:assert/strict";
import { type SeedAttempt, type SeedMeasurement, seedRows } from "../../bench/seed_table.ts";

function measured(
  seeder: string,
  downloader: string,
  wallSeconds: number,
  transferSeconds: number | null,
  verified = true,
): SeedMeasurement {
  return {
    seeder,
    downloader,
    sizeMiB: 100,
    wallSeconds,
    transferSeconds,
    firstByteSeconds: transferSeconds === null ? null : wallSeconds - transferSeconds,
    seederCpuSeconds: wallSeconds / 10,
    verified,
  };
}

Deno.test("seed rows: median rates, spread, ratio to libtorrent seeding to the same downloader", () => {
  const rows = seedRows([
    measured("ours", "libtorrent", 2, 1),
    measured("libtorrent", "libtorrent", 2, 1.6),
    measured("ours", "aria2", 4, 2),
    measured("libtorrent", "aria2", 5, 4),
    measured("ours", "libtorrent", 1, 0.8),
    measured("libtorrent", "libtorrent", 4, 2),
    measured("ours", "libtorrent", 5, 4),
    measured("libtorrent", "libtorrent", 3, 1.8),
  ]);
  assert.deepEqual(rows.map((r) => `${r.seeder}>${r.downloader}`), [
    "ours>libtorrent",
    "libtorrent>libtorrent",
    "ours>aria2",
    "libtorrent>aria2",
  ]);
  const [ours, lt, oursAria2, ltAria2] = rows;
  assert.equal(ours.mibPerSecond, 50); // median wall 2 s
  assert.equal(ours.minMibPerSecond, 20);
  assert.equal(ours.maxMibPerSecond, 100);
  assert.equal(ours.transferMibPerSecond, 100); // median transfer 1 s
  assert.equal(ours.firstByteSeconds, 1);
  assert.equal(lt.transferMibPerSecond, 100 / 1.8);
  assert.equal(ours.vsLibtorrentSeed, 1.8);
  assert.equal(lt.vsLibtorrentSeed, 1);
  assert.equal(oursAria2.vsLibtorrentSeed, 2);
  assert.equal(ltAria2.vsLibtorrentSeed, 1);
  assert.equal(ours.seederCpuSeconds, 0.2);
  assert.equal(ours.seederCpuPercent, 12.5); // of 20, 12.5 and 12.5 % over the rounds
  assert.equal(ours.verified, "3/3");
  assert.equal(ours.error, null);
});

Deno.test("seed rows: failed and corrupt rounds count against the pair, not in its rates", () => {
  const attempts: SeedAttempt[] = [
    measured("ours", "aria2", 2, 1),
    { seeder: "ours", downloader: "aria2", sizeMiB: 100, error: "aria2c exited" },
    measured("ours", "aria2", 1, 0.5, false),
    { seeder: "libtorrent", downloader: "aria2", sizeMiB: 100, error: "timed out" },
  ];
  const [ours, lt] = seedRows(attempts);
  assert.equal(ours.verified, "1/3");
  assert.equal(ours.mibPerSecond, 50);
  assert.equal(ours.error, "aria2c exited");
  assert.equal(ours.vsLibtorrentSeed, null); // nothing to compare with
  assert.equal(lt.verified, "0/1");
  assert.equal(lt.mibPerSecond, null);
  assert.equal(lt.minMibPerSecond, null);
  assert.equal(lt.error, "timed out");
  const corrupt = seedRows([measured("ours", "aria2", 1, 0.5, false)])[0];
  assert.equal(corrupt.error, "a download did not match the payload");
});

Deno.test("seed rows: no transfer clock, no transfer rate or ratio", () => {
  const rows = seedRows([
    measured("ours", "aria2", 2, null),
    measured("libtorrent", "aria2", 2, 1),
  ]);
  assert.equal(rows[0].transferMibPerSecond, null);
  assert.equal(rows[0].vsLibtorrentSeed, null);
  assert.equal(rows[0].seederCpuPercent, null);
  assert.equal(rows[0].mibPerSecond, 50);
});
