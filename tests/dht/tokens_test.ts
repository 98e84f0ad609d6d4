/** announce tokens: bound to the IP, valid for 5 to 10 minutes across secret rotations. */
import assert from "node:assert/strict";
import { TOKEN_ROTATE_MS, TokenIssuer } from "../../src/dht/tokens.ts";

const T0 = 1_700_000_000_000;

Deno.test("a token is valid for its IP only", () => {
  const tokens = new TokenIssuer(T0);
  const token = tokens.issue("192.0.2.7", T0);
  assert.equal(token.length, 8);
  assert.ok(tokens.verify("192.0.2.7", token, T0));
  assert.ok(!tokens.verify("192.0.2.8", token, T0));
  assert.ok(!tokens.verify("192.0.2.7", token.slice(1), T0));
  assert.ok(!tokens.verify("192.0.2.7", new Uint8Array(8), T0));
});

Deno.test("a token lasts at least one and less than two rotation periods", () => {
  const tokens = new TokenIssuer(T0);
  // Issued at the very end of a period: survives the next rotation only.
  const late = tokens.issue("192.0.2.7", T0 + TOKEN_ROTATE_MS - 1);
  assert.ok(tokens.verify("192.0.2.7", late, T0 + TOKEN_ROTATE_MS));
  assert.ok(tokens.verify("192.0.2.7", late, T0 + 2 * TOKEN_ROTATE_MS - 1));
  assert.ok(!tokens.verify("192.0.2.7", late, T0 + 2 * TOKEN_ROTATE_MS));
  // Issued at the start of a period: valid for the whole 2 periods minus nothing more.
  const early = new TokenIssuer(T0);
  const token = early.issue("10.0.0.1", T0);
  assert.ok(early.verify("10.0.0.1", token, T0 + TOKEN_ROTATE_MS + TOKEN_ROTATE_MS / 2));
  assert.ok(!early.verify("10.0.0.1", token, T0 + 2 * TOKEN_ROTATE_MS));
});

Deno.test("after a long idle gap no old token is accepted", () => {
  const tokens = new TokenIssuer(T0);
  const token = tokens.issue("192.0.2.7", T0);
  assert.ok(!tokens.verify("192.0.2.7", token, T0 + 7 * TOKEN_ROTATE_MS));
  const fresh = tokens.issue("192.0.2.7", T0 + 7 * TOKEN_ROTATE_MS);
  assert.ok(tokens.verify("192.0.2.7", fresh, T0 + 7 * TOKEN_ROTATE_MS + 1));
});
