/**
 * Run by tests/cli/relaunch_test.ts: relaunches with the heap flags, then loads the young
 * generation the way a long download does (a little survives every collection) and prints its
 * process id, its `DENO_V8_FLAGS`, the largest size V8 gave the new space, and the bytes of
 * `BTTS_PROBE_RAW` in its environment (read as Latin-1).
 * @module
 */

import { getHeapSpaceStatistics } from "node:v8";
import { relaunchWithHeapFlags } from "../../src/cli/relaunch.ts";

relaunchWithHeapFlags();
const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === "new_space")!;
let largest = 0;
const kept: unknown[] = [];
for (let i = 0; i < 2_000_000; i++) {
  const item = { i, list: [i] };
  if (i % 3 === 0) kept.push(item);
  if (kept.length > 200_000) kept.length = 0;
  if (i % 10_000 === 0) largest = Math.max(largest, newSpace().space_size);
}
// A variable that is not UTF-8 (Deno.env cannot show it) must reach the relaunched process as is.
const raw = new TextDecoder("latin1").decode(Deno.readFileSync("/proc/self/environ"))
  .split("\0").find((entry) => entry.startsWith("BTTS_PROBE_RAW="));
console.log(JSON.stringify({
  pid: Deno.pid,
  raw: raw ?? null,
  flags: Deno.env.get("DENO_V8_FLAGS") ?? null,
  largestNewSpace: largest,
}));
