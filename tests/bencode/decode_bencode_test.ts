import assert from "node:assert/strict";
import { BencodeError } from "../../src/bencode/bencode_error.ts";
import { dictGet, isBencodeDict } from "../../src/bencode/bencode_value.ts";
import { decodeBencode, decodeBencodePrefix } from "../../src/bencode/decode_bencode.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

Deno.test("decodeBencode decodes every type", () => {
  const value = decodeBencode(enc("d4:listli1ei-2e0:e3:numi42e3:str4:spame"));
  assert.ok(isBencodeDict(value));
  assert.equal(dictGet(value, "num"), 42);
  assert.deepEqual(dictGet(value, "str"), enc("spam"));
  assert.deepEqual(dictGet(value, "list"), [1, -2, new Uint8Array()]);
  assert.equal(decodeBencode(enc("i0e")), 0);
  assert.equal(decodeBencode(enc(`i${Number.MAX_SAFE_INTEGER}e`)), Number.MAX_SAFE_INTEGER);
  assert.equal(decodeBencode(enc(`i-${Number.MAX_SAFE_INTEGER}e`)), -Number.MAX_SAFE_INTEGER);
});

Deno.test("decodeBencode keeps byte strings as raw bytes", () => {
  assert.deepEqual(decodeBencode(bytes("3:\xff\x00\x80")), new Uint8Array([0xff, 0, 0x80]));
});

Deno.test("decodeBencode accepts unsorted dict keys (real torrents have them)", () => {
  const value = decodeBencode(enc("d1:bi1e1:ai2ee"));
  assert.ok(isBencodeDict(value));
  assert.equal(dictGet(value, "a"), 2);
  assert.equal(dictGet(value, "b"), 1);
});

Deno.test("decodeBencode gives non-UTF-8 keys as hex, like npm:bencode", () => {
  const value = decodeBencode(bytes("d2:\xff\xfei1ee"));
  assert.ok(isBencodeDict(value));
  assert.equal(dictGet(value, "fffe"), 1);
});

Deno.test("dictGet ignores inherited keys", () => {
  const value = decodeBencode(enc("d1:ai1ee"));
  assert.ok(isBencodeDict(value));
  assert.equal(dictGet(value, "constructor"), undefined);
  assert.equal(dictGet(value, "toString"), undefined);
});

const malformed: [string, string][] = [
  ["", "end of input"],
  ["i42", "expected 'e'"],
  ["ie", "without digits"],
  ["i-e", "without digits"],
  ["i03e", "leading zero"],
  ["i-0e", "leading zero"],
  ["i1.5e", "expected 'e'"],
  ["i 1e", "without digits"],
  ["i+1e", "without digits"],
  ["i12345678901234567e", "safe range"],
  ["i9007199254740992e", "safe range"],
  ["4:abc", "longer than the input"],
  ["99999999999999999999999999:a", "longer than the input"],
  ["03:abc", "leading zero"],
  ["-1:a", "unexpected byte"],
  ["3abc", "expected ':'"],
  ["l", "unterminated list"],
  ["li1e", "unterminated list"],
  ["d1:a", "end of input"],
  ["d1:ai1e", "unterminated dict"],
  ["di1ei2ee", "key is not a string"],
  ["d1:ai1e1:ai2ee", 'duplicate dict key "a"'],
  ["d9:__proto__d1:xi1eee", "__proto__"],
  ["i1ei2e", "trailing data"],
  ["3:abcX", "trailing data"],
  ["de\n", "trailing data"],
  ["x", "unexpected byte 0x78"],
  ["e", "unexpected byte 0x65"],
];

for (const [input, message] of malformed) {
  Deno.test(`decodeBencode refuses ${JSON.stringify(input)}`, () => {
    assert.throws(() => decodeBencode(enc(input)), (e: unknown) => {
      assert.ok(e instanceof BencodeError, `got ${e}`);
      assert.match(e.message, new RegExp(message.replace(/[.+'"]/g, "\\$&")));
      assert.doesNotMatch(e.message, /\n/);
      return true;
    });
  });
}

Deno.test("decodeBencode bounds nesting without overflowing the stack", () => {
  assert.deepEqual(decodeBencode(enc("l".repeat(100) + "e".repeat(100))), nest(100));
  assert.throws(
    () => decodeBencode(enc("l".repeat(101) + "e".repeat(101))),
    /nesting deeper than 100/,
  );
  assert.throws(() => decodeBencode(enc("l".repeat(200_000))), BencodeError);
  assert.throws(() => decodeBencode(enc("d1:a".repeat(200_000))), BencodeError);
  assert.deepEqual(decodeBencode(enc("llee"), { maxDepth: 2 }), [[]]);
  assert.throws(() => decodeBencode(enc("llee"), { maxDepth: 1 }), /nesting deeper than 1 /);
});

function nest(depth: number): unknown {
  return depth === 1 ? [] : [nest(depth - 1)];
}

Deno.test("decodeBencodePrefix stops after the first value and reports its length", () => {
  const { value, length } = decodeBencodePrefix(enc("d8:msg_typei1e5:piecei0eeRAWDATA"));
  assert.equal(length, 25);
  assert.ok(isBencodeDict(value));
  assert.equal(dictGet(value, "piece"), 0);
  assert.throws(() => decodeBencodePrefix(enc("d8:msg_type")), BencodeError);
});
