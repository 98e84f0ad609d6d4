import assert from "node:assert/strict";
import { median } from "../../bench/median.ts";

Deno.test("median: middle value, the upper one for an even count, null for none", () => {
  assert.equal(median([5]), 5);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 3);
  assert.equal(median([]), null);
});

Deno.test("median: leaves its input unsorted", () => {
  const values = [3, 1, 2];
  median(values);
  assert.deepEqual(values, [3, 1, 2]);
});
