/**
 * Mutated and random handshakes (seeded edits, bounded iterations): each role either completes
 * or fails with MseError, never a TypeError/RangeError and never a hang.
 */
import assert from "node:assert/strict";
import { initiateMse } from "../../../src/wire/mse/initiator.ts";
import { respondMse } from "../../../src/wire/mse/responder.ts";
import { MseError } from "../../../src/wire/mse/mse_error.ts";
import { CRYPTO_PLAINTEXT, CRYPTO_RC4 } from "../../../src/wire/mse/negotiation.ts";
import { duplexPair, scriptedChannel } from "../../support/memory_duplex.ts";
import { mutate, seededRandom } from "../../support/fuzz.ts";
import { withTimeout } from "../../support/process.ts";
import { rawInitiator, rawResponder } from "./raw_peers.ts";

const INFO_HASH = Uint8Array.from({ length: 20 }, (_, i) => 100 + i);
const ITERATIONS = 300;

async function expectCleanOutcome(run: Promise<unknown>, what: string): Promise<boolean> {
  try {
    await withTimeout(run, 5000, what);
    return true;
  } catch (error) {
    assert.ok(error instanceof MseError, `${what}: ${(error as Error).stack}`);
    return false;
  }
}

Deno.test("the responder survives mutated initiators", async () => {
  const random = seededRandom(0x5eed);
  let completed = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const [a, b] = duplexPair();
    const responding = respondMse(b, { infoHashes: [INFO_HASH] });
    rawInitiator(a, {
      infoHash: INFO_HASH,
      provide: 1 + random.int(3),
      padA: random.int(40),
      ia: random.bytes(random.int(80)),
      after: random.bytes(random.int(20)),
      edit: (sent) => mutate(random, sent),
    }).catch(() => {});
    if (await expectCleanOutcome(responding, `responder, iteration ${i}`)) completed++;
  }
  // Edits of padding or the IA's contents still complete: the check ran on both branches.
  assert.ok(completed > 0 && completed < ITERATIONS, `${completed} completed`);
});

Deno.test("the responder survives random bytes and truncated public keys", async () => {
  const random = seededRandom(0xbad);
  for (let i = 0; i < ITERATIONS; i++) {
    const input = random.bytes(random.int(1200));
    const channel = scriptedChannel(input, 1 + random.int(300));
    const done = await expectCleanOutcome(
      respondMse(channel, { infoHashes: [INFO_HASH] }),
      `responder on random input, iteration ${i}`,
    );
    assert.equal(done, false);
  }
});

Deno.test("the initiator survives mutated responders", async () => {
  const random = seededRandom(0x1417);
  let completed = 0;
  for (let i = 0; i < ITERATIONS; i++) {
    const [a, b] = duplexPair();
    const initiating = initiateMse(a, {
      infoHash: INFO_HASH,
      provide: CRYPTO_PLAINTEXT | CRYPTO_RC4,
    });
    rawResponder(b, {
      infoHash: INFO_HASH,
      provide: 1 + random.int(2),
      padA: random.int(40),
      edit: (sent) => mutate(random, sent),
    }).catch(() => {});
    if (await expectCleanOutcome(initiating, `initiator, iteration ${i}`)) completed++;
  }
  assert.ok(completed < ITERATIONS, `${completed} completed`);
});

Deno.test("the initiator refuses a method it did not offer and garbage instead of a key", async () => {
  const [a, b] = duplexPair();
  const initiating = initiateMse(a, { infoHash: INFO_HASH, provide: CRYPTO_RC4 });
  rawResponder(b, { infoHash: INFO_HASH, provide: CRYPTO_PLAINTEXT }).catch(() => {});
  await assert.rejects(() => withTimeout(initiating, 5000, "initiator"), /not one we offered/);
  const silent = scriptedChannel(new Uint8Array(50));
  await assert.rejects(
    () => initiateMse(silent, { infoHash: INFO_HASH, provide: CRYPTO_RC4 }),
    MseError,
  );
});
