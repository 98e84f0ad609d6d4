import assert from "node:assert/strict";
import {
  DH_KEY_LENGTH,
  modPow,
  MSE_PRIME,
  newPrivateKey,
  type PrivateKey,
  publicKey,
  sharedSecret,
} from "../../../src/wire/mse/diffie_hellman.ts";
import { MseError } from "../../../src/wire/mse/mse_error.ts";
import { toHex } from "../../../src/util/bytes.ts";
import { SHARED, X as VX, X_PUBLIC, Y as VY } from "./vectors.ts";

const X = VX as PrivateKey;
const Y = VY as PrivateKey;

Deno.test("modPow by square-and-multiply", () => {
  assert.equal(modPow(4n, 13n, 497n), 445n);
  assert.equal(modPow(2n, 0n, 7n), 1n);
  assert.equal(modPow(3n, 200n, 1000000007n), 3n ** 200n % 1000000007n);
});

Deno.test("public key and shared secret match an independent computation", () => {
  assert.equal(toHex(publicKey(X)), X_PUBLIC);
  assert.equal(toHex(sharedSecret(X, publicKey(Y))), SHARED);
  assert.equal(toHex(sharedSecret(Y, publicKey(X))), SHARED);
});

Deno.test("both sides of a random exchange agree on S; keys are 96 bytes, left-padded", () => {
  for (let i = 0; i < 5; i++) {
    const a = newPrivateKey();
    const b = newPrivateKey();
    assert.ok(a >= 1n << 159n && a < 1n << 160n);
    const s = sharedSecret(a, publicKey(b));
    assert.equal(s.length, DH_KEY_LENGTH);
    assert.deepEqual(s, sharedSecret(b, publicKey(a)));
  }
  // 2^5 = 32: a small value still fills 96 bytes.
  const small = publicKey(5n as PrivateKey);
  assert.equal(small.length, 96);
  assert.equal(small[95], 32);
  assert.ok(small.subarray(0, 95).every((b) => b === 0));
});

Deno.test("degenerate or misshapen public keys are refused with MseError", () => {
  const key = newPrivateKey();
  const encode = (value: bigint) => {
    const hex = value.toString(16).padStart(192, "0");
    return Uint8Array.from({ length: 96 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
  };
  for (const bad of [0n, 1n, MSE_PRIME - 1n, MSE_PRIME, (1n << 768n) - 1n]) {
    assert.throws(() => sharedSecret(key, encode(bad)), MseError);
  }
  assert.throws(() => sharedSecret(key, new Uint8Array(95)), MseError);
  assert.equal(sharedSecret(key, encode(2n)).length, 96);
});
