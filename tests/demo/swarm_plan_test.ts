import assert from "node:assert/strict";
import { planSwarm } from "../../src/demo/swarm_plan.ts";

const input = { pieceCount: 1600, totalBytes: 200 * 1024 * 1024, seconds: 40, seed: 7 };

Deno.test("two full seeders and two partial peers with different shares of the pieces", () => {
  const plan = planSwarm(input);
  assert.equal(plan.length, 4);
  assert.ok(plan[0].pieces.complete && plan[1].pieces.complete);
  const [leading, scattered] = [plan[2].pieces, plan[3].pieces];
  // A leading run: the first 55% and nothing after.
  assert.equal(leading.count, 880);
  assert.ok(leading.has(0) && leading.has(879) && !leading.has(880));
  // Scattered runs: about 40%, not a prefix.
  assert.ok(scattered.count > 1600 * 0.3 && scattered.count < 1600 * 0.5, `${scattered.count}`);
  let runs = 0;
  for (let i = 0; i < 1600; i++) if (scattered.has(i) && !(i > 0 && scattered.has(i - 1))) runs++;
  assert.ok(runs > 20, `${runs} runs`);
  assert.match(plan[2].label, /^partial peer \(55%\)$/);
  assert.equal(plan[0].label, "full seeder");
});

Deno.test("upload rates add up to the album over the time asked for, all different", () => {
  const plan = planSwarm(input);
  const sum = plan.reduce((n, p) => n + p.uploadRate, 0);
  const wanted = input.totalBytes / input.seconds;
  assert.ok(Math.abs(sum - wanted) < 4, `${sum} vs ${wanted}`);
  assert.equal(new Set(plan.map((p) => p.uploadRate)).size, 4);
  // A tiny album still moves a block a second per peer.
  for (const p of planSwarm({ ...input, totalBytes: 100_000, pieceCount: 7 })) {
    assert.ok(p.uploadRate >= 16384);
  }
});

Deno.test("the plan is the same for the same seed, and never empty or full for partial peers", () => {
  assert.deepEqual(planSwarm(input)[3].pieces.bytes, planSwarm(input)[3].pieces.bytes);
  for (let pieceCount = 2; pieceCount < 40; pieceCount++) {
    for (let seed = 0; seed < 20; seed++) {
      const [, , a, b] = planSwarm({ ...input, pieceCount, seed });
      for (const p of [a, b]) {
        assert.ok(p.pieces.count > 0 && !p.pieces.complete, `${pieceCount} pieces, seed ${seed}`);
      }
    }
  }
  assert.throws(() => planSwarm({ ...input, seconds: 0 }), RangeError);
  assert.throws(() => planSwarm({ ...input, pieceCount: 0 }), RangeError);
});
