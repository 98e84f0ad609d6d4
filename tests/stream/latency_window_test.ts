import assert from "node:assert/strict";
import { LatencyWindow } from "../../src/stream/latency_window.ts";

Deno.test("latency window: empty, odd and even medians", () => {
  const window = new LatencyWindow(8);
  assert.deepEqual(window.summary(), { count: 0 });
  window.add(30);
  assert.deepEqual(window.summary(), { lastMs: 30, medianMs: 30, count: 1 });
  window.add(10);
  assert.deepEqual(window.summary(), { lastMs: 10, medianMs: 20, count: 2 });
  window.add(100);
  assert.deepEqual(window.summary(), { lastMs: 100, medianMs: 30, count: 3 });
});

Deno.test("latency window: old samples leave the window, the count keeps them", () => {
  const window = new LatencyWindow(3);
  for (const ms of [1000, 1000, 1000, 5, 6, 7]) window.add(ms);
  assert.deepEqual(window.summary(), { lastMs: 7, medianMs: 6, count: 6 });
});

Deno.test("latency window: capacity must be a positive integer", () => {
  assert.throws(() => new LatencyWindow(0), RangeError);
  assert.throws(() => new LatencyWindow(1.5), RangeError);
});
