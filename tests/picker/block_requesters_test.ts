import assert from "node:assert/strict";
import { BlockRequesters } from "../../src/picker/block_requesters.ts";

Deno.test("one requester per block: add, has, count, take", () => {
  const who = new BlockRequesters(4);
  assert.equal(who.count(0), 0);
  who.add(0, 5);
  who.add(2, 0); // peer key 0 is a peer like any other
  assert.equal(who.count(0), 1);
  assert.ok(who.has(0, 5));
  assert.ok(!who.has(1, 5));
  assert.ok(who.has(2, 0));
  assert.deepEqual([...who.peers()], [5, 0]);
  assert.deepEqual(who.take(0, 5), [], "the one who delivered is not cancelled");
  assert.equal(who.count(0), 0);
  assert.deepEqual(
    who.take(2, 9),
    [0],
    "a block delivered by an unasked peer cancels the asked one",
  );
  assert.deepEqual([...who.peers()], []);
});

Deno.test("several requesters per block (endgame): take returns the others, remove promotes the next", () => {
  const who = new BlockRequesters(2);
  who.add(1, 3);
  who.add(1, 4);
  who.add(1, 5);
  assert.equal(who.count(1), 3);
  assert.ok(who.has(1, 4));
  who.remove(1, 3); // the first goes: 4 takes its place
  assert.equal(who.count(1), 2);
  assert.ok(!who.has(1, 3));
  who.remove(1, 5);
  who.remove(1, 42); // never asked: nothing changes
  assert.equal(who.count(1), 1);
  assert.deepEqual([...who.peers()], [4]);
  who.add(1, 6);
  who.add(1, 7);
  assert.deepEqual(who.take(1, 6), [4, 7]);
  assert.equal(who.count(1), 0);
  who.add(1, 8);
  assert.deepEqual([...who.peers()], [8], "nothing left over from before");
});

Deno.test("random operations agree with a list-per-block model", () => {
  let seed = 7;
  const random = (n: number) => {
    seed = (seed * 16807) % 2147483647;
    return seed % n;
  };
  const who = new BlockRequesters(8);
  const model: number[][] = Array.from({ length: 8 }, () => []);
  for (let step = 0; step < 5000; step++) {
    const b = random(8);
    const peer = random(6);
    switch (random(3)) {
      case 0:
        if (!model[b].includes(peer)) {
          who.add(b, peer);
          model[b].push(peer);
        }
        break;
      case 1:
        who.remove(b, peer);
        model[b] = model[b].filter((p) => p !== peer);
        break;
      case 2:
        assert.deepEqual(who.take(b, peer), model[b].filter((p) => p !== peer));
        model[b] = [];
    }
    assert.equal(who.count(b), model[b].length);
    assert.equal(who.has(b, peer), model[b].includes(peer));
  }
  assert.deepEqual([...who.peers()], model.flat());
});
