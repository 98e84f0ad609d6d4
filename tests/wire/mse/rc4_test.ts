import assert from "node:assert/strict";
import { mseRc4, Rc4 } from "../../../src/wire/mse/rc4.ts";
import { fromHex, toHex } from "../../../src/util/bytes.ts";

const ascii = (text: string) => new TextEncoder().encode(text);

function encrypt(key: Uint8Array, plaintext: Uint8Array): string {
  const bytes = plaintext.slice();
  new Rc4(key).apply(bytes);
  return toHex(bytes);
}

Deno.test("RC4 matches the published Key/Plaintext, Wiki/pedia and Secret vectors", () => {
  assert.equal(encrypt(ascii("Key"), ascii("Plaintext")), "bbf316e8d940af0ad3");
  assert.equal(encrypt(ascii("Wiki"), ascii("pedia")), "1021bf0420");
  assert.equal(encrypt(ascii("Secret"), ascii("Attack at dawn")), "45a01f645fc35b383552544b9bf5");
});

Deno.test("RC4 keystream of RFC 6229's 40-bit key at offsets 0, 1008 and 1024", () => {
  const keystream = new Uint8Array(1040);
  new Rc4(fromHex("0102030405")).apply(keystream);
  assert.equal(toHex(keystream.subarray(0, 16)), "b2396305f03dc027ccc3524a0a1118a8");
  assert.equal(toHex(keystream.subarray(1008, 1024)), "45129048e6a0ed0b56b490338f078da5");
  assert.equal(toHex(keystream.subarray(1024, 1040)), "30abbcc7c20b01609f23ee2d5f6bb7df");
});

Deno.test("mseRc4 drops exactly 1024 keystream bytes (RFC 6229 offset 1024)", () => {
  const keystream = new Uint8Array(16);
  mseRc4(fromHex("0102030405")).apply(keystream);
  assert.equal(toHex(keystream), "30abbcc7c20b01609f23ee2d5f6bb7df");
});

Deno.test("RC4 continues its stream across calls of any size, and decrypts what it encrypted", () => {
  const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
  const whole = data.slice();
  new Rc4(ascii("split")).apply(whole);
  const pieces = data.slice();
  const rc4 = new Rc4(ascii("split"));
  for (const [from, to] of [[0, 1], [1, 17], [17, 17], [17, 4096], [4096, 5000]]) {
    rc4.apply(pieces.subarray(from, to));
  }
  assert.deepEqual(pieces, whole);
  new Rc4(ascii("split")).apply(whole);
  assert.deepEqual(whole, data);
});
