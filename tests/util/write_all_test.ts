import assert from "node:assert/strict";
import { writeAll } from "../../src/util/write_all.ts";

/** Takes at most `max` bytes a call, as a busy socket does. */
function stingyWriter(max: number) {
  const taken: number[] = [];
  let calls = 0;
  return {
    taken,
    calls: () => calls,
    write(bytes: Uint8Array): Promise<number> {
      calls++;
      const n = Math.min(max, bytes.length);
      taken.push(...bytes.subarray(0, n));
      return Promise.resolve(n);
    },
  };
}

Deno.test("writeAll keeps writing until every byte is taken, in order", async () => {
  const writer = stingyWriter(3);
  await writeAll(writer, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
  assert.deepEqual(writer.taken, [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(writer.calls(), 3);
});

Deno.test("writeAll of nothing writes nothing", async () => {
  const writer = stingyWriter(3);
  await writeAll(writer, new Uint8Array());
  assert.equal(writer.calls(), 0);
});
