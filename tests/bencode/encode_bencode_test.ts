import assert from "node:assert/strict";
import { BencodeError } from "../../src/bencode/bencode_error.ts";
import { decodeBencode } from "../../src/bencode/decode_bencode.ts";
import { type BencodeInput, encodeBencode } from "../../src/bencode/encode_bencode.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("encodeBencode writes canonical bencode with keys in byte order", () => {
  assert.equal(text(encodeBencode({ b: 1, a: "x", c: [1, "é"] })), "d1:a1:x1:bi1e1:cli1e2:éee");
  assert.equal(text(encodeBencode(-7)), "i-7e");
  assert.equal(text(encodeBencode(new Uint8Array([0x61, 0x62]))), "2:ab");
  assert.equal(text(encodeBencode({ "10": 1, "9": 2 })), "d2:10i1e1:9i2ee");
  assert.equal(text(encodeBencode({ a: undefined, b: 2 })), "d1:bi2ee");
});

Deno.test("encodeBencode round-trips through decodeBencode", () => {
  const value = { info: { length: 2 ** 40, name: new Uint8Array([0xff]), list: [[], {}] } };
  assert.deepEqual(decodeBencode(encodeBencode(value)), {
    info: { length: 2 ** 40, name: new Uint8Array([0xff]), list: [[], {}] },
  });
});

for (
  const [label, value] of [
    ["a fraction", 1.5],
    ["NaN", NaN],
    ["an unsafe integer", 2 ** 60],
    ["null", null],
    ["a boolean", true],
    ["undefined in a list", [undefined]],
    ["a lone surrogate", "\ud800"],
    ["keys UTF-16 sorts differently from bytes", { "\uffff": 1, "\u{10000}": 2 }],
  ] as [string, unknown][]
) {
  Deno.test(`encodeBencode refuses ${label}`, () => {
    assert.throws(() => encodeBencode(value as BencodeInput), BencodeError);
  });
}

Deno.test("encodeBencode refuses cyclic values", () => {
  const list: BencodeInput[] = [];
  list.push(list);
  assert.throws(() => encodeBencode(list), /nested too deeply/);
});
