import assert from "node:assert/strict";
import { blockKey, fromBlockKey } from "../../src/picker/block_key.ts";
import { BLOCK_SIZE } from "../../src/picker/piece_picker.ts";

Deno.test("block keys are distinct and round-trip, up to huge pieces and piece counts", () => {
  const seen = new Set<number>();
  for (const index of [0, 1, 7, 2 ** 20, 2 ** 31 - 1]) {
    for (const begin of [0, BLOCK_SIZE, 1023 * BLOCK_SIZE, (2 ** 20 - 1) * BLOCK_SIZE]) {
      const key = blockKey(index, begin);
      assert.ok(!seen.has(key));
      seen.add(key);
      assert.deepEqual(fromBlockKey(key), [index, begin]);
    }
  }
});
