import assert from "node:assert/strict";
import { blockKey } from "../../src/picker/block_key.ts";
import { OutstandingRequests } from "../../src/torrent/outstanding_requests.ts";

Deno.test("a set of block keys: add, has, delete, size, keys oldest first, clear", () => {
  const requests = new OutstandingRequests();
  const a = blockKey(5, 0);
  const b = blockKey(0, 16384);
  const c = blockKey(70000, 32768);
  requests.add(a);
  requests.add(b);
  requests.add(c);
  requests.add(a); // already there: keeps its place
  assert.equal(requests.size, 3);
  assert.deepEqual(requests.keys(), [a, b, c]);
  assert.ok(requests.has(b));
  assert.equal(requests.delete(b), true);
  assert.equal(requests.delete(b), false, "not there any more");
  assert.ok(!requests.has(b));
  assert.deepEqual(requests.keys(), [a, c]);
  requests.clear();
  assert.equal(requests.size, 0);
  assert.deepEqual(requests.keys(), []);
  assert.ok(!requests.has(a));
});

Deno.test("random requests and deliveries agree with a Map, through growth and clean-ups", () => {
  let seed = 11;
  const random = (n: number) => {
    seed = (seed * 16807) % 2147483647;
    return seed % n;
  };
  const requests = new OutstandingRequests(4);
  const model = new Map<number, true>();
  for (let step = 0; step < 60_000; step++) {
    // Mostly a pipeline: keys asked in order, answered in order, now and then out of order.
    const key = blockKey(random(3000), random(16) * 16384);
    const op = random(10);
    if (op < 5 || model.size < 50) {
      requests.add(key);
      model.set(key, true);
    } else if (op < 9) {
      const oldest = model.keys().next().value!;
      assert.equal(requests.delete(oldest), true);
      model.delete(oldest);
    } else {
      assert.equal(requests.delete(key), model.delete(key));
    }
    if (model.size > 600) {
      requests.clear();
      model.clear();
    }
    assert.equal(requests.size, model.size);
  }
  assert.deepEqual(requests.keys(), [...model.keys()]);
});
