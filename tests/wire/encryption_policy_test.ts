import assert from "node:assert/strict";
import {
  acceptsPlaintext,
  dialPlan,
  ENCRYPTION_POLICIES,
  isEncryptionPolicy,
  mseOffer,
  selectForPolicy,
} from "../../src/wire/encryption_policy.ts";
import { CRYPTO_PLAINTEXT, CRYPTO_RC4 } from "../../src/wire/mse/negotiation.ts";

const BOTH = CRYPTO_PLAINTEXT | CRYPTO_RC4;

Deno.test("policy names: the three modes, nothing else", () => {
  assert.deepEqual(ENCRYPTION_POLICIES, ["tolerate", "prefer", "require"]);
  for (const name of ENCRYPTION_POLICIES) assert.ok(isEncryptionPolicy(name));
  for (const name of ["", "Require", "forced", "disabled", "rc4", "tolerate "]) {
    assert.equal(isEncryptionPolicy(name), false, name);
  }
});

Deno.test("dial plans: plaintext then MSE on a hang-up, MSE then plaintext, MSE only", () => {
  assert.deepEqual(dialPlan("tolerate"), {
    first: "plaintext",
    fallback: { method: "mse", after: "hang-up" },
  });
  assert.deepEqual(dialPlan("tolerate", false), { first: "plaintext" });
  const prefer = { first: "mse", fallback: { method: "plaintext", after: "failure" } };
  assert.deepEqual(dialPlan("prefer"), prefer);
  assert.deepEqual(dialPlan("prefer", false), prefer);
  assert.deepEqual(dialPlan("require"), { first: "mse" });
  assert.deepEqual(dialPlan("require", true), { first: "mse" });
});

Deno.test("what we offer when dialling MSE: RC4 alone only when required", () => {
  assert.equal(mseOffer("tolerate"), BOTH);
  assert.equal(mseOffer("prefer"), BOTH);
  assert.equal(mseOffer("require"), CRYPTO_RC4);
});

Deno.test("what we select as responder, for every crypto_provide", () => {
  // provided bits -> [tolerate, prefer, require]
  const table: [number, ...(string | undefined)[]][] = [
    [CRYPTO_PLAINTEXT, "plaintext", "plaintext", undefined],
    [CRYPTO_RC4, "rc4", "rc4", "rc4"],
    [BOTH, "plaintext", "rc4", "rc4"],
    [0, undefined, undefined, undefined],
    [0x04, undefined, undefined, undefined], // an unknown method only
    [0xff, "plaintext", "rc4", "rc4"], // unknown bits beside ours are ignored
  ];
  for (const [provided, ...expected] of table) {
    const got = ENCRYPTION_POLICIES.map((p) => selectForPolicy(p, provided));
    assert.deepEqual(got, expected, `crypto_provide ${provided}`);
  }
});

Deno.test("plaintext incoming handshakes: refused only when encryption is required", () => {
  assert.deepEqual(ENCRYPTION_POLICIES.map(acceptsPlaintext), [true, true, false]);
});
