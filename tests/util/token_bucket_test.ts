import assert from "node:assert/strict";
import { TokenBucket } from "../../src/util/token_bucket.ts";

function fakeClock() {
  const clock = { ms: 0, now: () => clock.ms };
  return clock;
}

Deno.test("a full bucket gives its burst at once, then asks to wait for the rest", () => {
  const clock = fakeClock();
  const bucket = new TokenBucket(1000, { burst: 500, now: clock.now });
  assert.equal(bucket.take(300), 0);
  assert.equal(bucket.take(200), 0);
  // Empty: 100 tokens at 1000/s take 100 ms.
  assert.equal(bucket.take(100), 100);
  assert.equal(bucket.tokens, 0, "a refused take takes nothing");
  clock.ms = 99;
  assert.equal(bucket.take(100), 1);
  clock.ms = 100;
  assert.equal(bucket.take(100), 0);
});

Deno.test("tokens accrue at the rate and never beyond the burst", () => {
  const clock = fakeClock();
  const bucket = new TokenBucket(2000, { burst: 1000, now: clock.now });
  assert.equal(bucket.take(1000), 0);
  clock.ms = 250;
  assert.equal(bucket.tokens, 500);
  clock.ms = 60_000;
  assert.equal(bucket.tokens, 1000);
});

Deno.test("an amount above the burst is taken from a full bucket, leaving debt to wait out", () => {
  const clock = fakeClock();
  const bucket = new TokenBucket(1000, { burst: 100, now: clock.now });
  assert.equal(bucket.take(400), 0);
  assert.equal(bucket.tokens, -300);
  // 300 of debt plus 100 for the next (capped) amount: 400 ms.
  assert.equal(bucket.take(400), 400);
  clock.ms = 400;
  assert.equal(bucket.take(400), 0);
});

Deno.test("over a long run the tokens taken match the rate plus one burst", () => {
  const clock = fakeClock();
  const rate = 100_000;
  const bucket = new TokenBucket(rate, { burst: 16384, now: clock.now });
  let taken = 0;
  // A greedy sender that sleeps exactly as told, for ten simulated seconds.
  while (clock.ms < 10_000) {
    const wait = bucket.take(16384);
    if (wait === 0) taken += 16384;
    else clock.ms += wait;
  }
  const allowed = rate * 10 + 16384;
  assert.ok(taken <= allowed, `${taken} > ${allowed}`);
  assert.ok(taken >= allowed - 2 * 16384, `${taken} is well under ${allowed}`);
});

Deno.test("a wait is never 0 ms when tokens are missing (the caller would spin)", () => {
  const clock = fakeClock();
  const bucket = new TokenBucket(1e9, { burst: 10, now: clock.now });
  assert.equal(bucket.take(10), 0);
  assert.equal(bucket.take(1), 1);
});

Deno.test("the default burst is one second's worth; bad rates and bursts are refused", () => {
  const bucket = new TokenBucket(4096, { now: () => 0 });
  assert.equal(bucket.burst, 4096);
  for (const rate of [0, -1, NaN, Infinity]) {
    assert.throws(() => new TokenBucket(rate), RangeError);
  }
  assert.throws(() => new TokenBucket(10, { burst: 0 }), /burst must be a positive number/);
});
