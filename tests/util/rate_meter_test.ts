import assert from "node:assert/strict";
import { RateMeter } from "../../src/util/rate_meter.ts";

Deno.test("a steady transfer reads its true rate after one tick", () => {
  const meter = new RateMeter();
  meter.add(5000);
  meter.tick(1);
  assert.equal(meter.rate, 5000);
  meter.add(2500);
  meter.tick(0.5);
  assert.equal(meter.rate, 5000);
});

Deno.test("the rate forgets samples older than the window", () => {
  const meter = new RateMeter(2);
  meter.add(9000);
  meter.tick(1);
  for (let i = 0; i < 2; i++) meter.tick(1);
  assert.equal(meter.rate, 0);
  assert.equal(meter.total, 9000);
});
