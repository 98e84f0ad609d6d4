import assert from "node:assert/strict";
import { formatBytes, formatDuration, formatRate } from "../../src/util/format.ts";

Deno.test("formatBytes uses binary units with one decimal", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(30 * 1024 * 1024), "30.0 MiB");
  assert.equal(formatBytes(1024 * 1024 - 1), "1.0 MiB");
  assert.equal(formatBytes(5 * 1024 ** 4), "5.0 TiB");
});

Deno.test("formatRate appends /s", () => {
  assert.equal(formatRate(1536), "1.5 KiB/s");
  assert.equal(formatRate(0), "0 B/s");
});

Deno.test("formatDuration keeps two units", () => {
  assert.equal(formatDuration(12), "12s");
  assert.equal(formatDuration(185), "3m05s");
  assert.equal(formatDuration(3725), "1h02m");
  assert.equal(formatDuration(2 * 86400 + 4 * 3600 + 5), "2d04h");
  assert.equal(formatDuration(Infinity), "∞");
  assert.equal(formatDuration(-1), "∞");
});
