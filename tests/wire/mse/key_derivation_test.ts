import assert from "node:assert/strict";
import {
  obfuscatedSkey,
  req1Hash,
  req3Hash,
  streamCiphers,
} from "../../../src/wire/mse/key_derivation.ts";
import { mseRc4 } from "../../../src/wire/mse/rc4.ts";
import { fromHex, toHex } from "../../../src/util/bytes.ts";
import { KEY_A, KEY_B, OBFUSCATED_SKEY, REQ1, SHARED } from "./vectors.ts";

const S = fromHex(SHARED);
const SKEY = Uint8Array.from({ length: 20 }, (_, i) => i);

Deno.test("req1 and the obfuscated SKEY match an independent computation", async () => {
  assert.equal(toHex(await req1Hash(S)), REQ1);
  assert.equal(toHex(await obfuscatedSkey(SKEY, await req3Hash(S))), OBFUSCATED_SKEY);
});

function keystream(cipher: { apply(bytes: Uint8Array): void }, length = 32): string {
  const bytes = new Uint8Array(length);
  cipher.apply(bytes);
  return toHex(bytes);
}

Deno.test("the initiator encrypts with keyA and the responder with keyB, 1024 bytes dropped", async () => {
  const streamA = keystream(mseRc4(fromHex(KEY_A)));
  const streamB = keystream(mseRc4(fromHex(KEY_B)));
  const initiator = await streamCiphers(S, SKEY, "initiator");
  const responder = await streamCiphers(S, SKEY, "responder");
  assert.equal(keystream(initiator.encrypt), streamA);
  assert.equal(keystream(initiator.decrypt), streamB);
  assert.equal(keystream(responder.encrypt), streamB);
  assert.equal(keystream(responder.decrypt), streamA);
});
