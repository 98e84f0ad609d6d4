import assert from "node:assert/strict";
import {
  decodeMessage,
  decodeMessageAt,
  encodedLength,
  encodeMessages,
  type Message,
  readUint32,
  WireError,
} from "../../src/wire/messages.ts";

const ALL: Message[] = [
  { type: "choke" },
  { type: "unchoke" },
  { type: "interested" },
  { type: "not-interested" },
  { type: "have", index: 0xfffffffe },
  { type: "bitfield", bitfield: new Uint8Array([0xa0, 0x01]) },
  { type: "request", index: 3, begin: 16384, length: 16384 },
  { type: "piece", index: 9, begin: 32768, block: new Uint8Array([1, 2, 3]) },
  { type: "cancel", index: 3, begin: 0, length: 100 },
  { type: "port", port: 6881 },
  { type: "port", port: 65535 },
  { type: "request", index: 0xffffffff, begin: 0x80000000, length: 0x7fffffff },
  { type: "suggest", index: 4 },
  { type: "have-all" },
  { type: "have-none" },
  { type: "reject", index: 1, begin: 2, length: 3 },
  { type: "allowed-fast", index: 8 },
  { type: "extended", id: 0, payload: new TextEncoder().encode("d1:v3:fooe") },
];

Deno.test("every message type survives encode then decode", () => {
  for (const message of ALL) {
    const bytes = encodeMessages([message]);
    assert.equal(bytes.length, encodedLength(message));
    const length = new DataView(bytes.buffer).getUint32(0);
    assert.equal(length, bytes.length - 4, message.type);
    assert.deepEqual(decodeMessage(bytes.subarray(4)), message);
  }
});

Deno.test("wire bytes match BEP 3 for request and have", () => {
  assert.deepEqual(
    [...encodeMessages([{ type: "request", index: 1, begin: 2, length: 3 }])],
    [0, 0, 0, 13, 6, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3],
  );
  assert.deepEqual([...encodeMessages([{ type: "have", index: 258 }])], [
    0,
    0,
    0,
    5,
    4,
    0,
    0,
    1,
    2,
  ]);
  assert.deepEqual([...encodeMessages([{ type: "keep-alive" }])], [0, 0, 0, 0]);
});

Deno.test("a batch encodes back to back", () => {
  const bytes = encodeMessages([{ type: "interested" }, { type: "have", index: 1 }]);
  assert.deepEqual([...bytes], [0, 0, 0, 1, 2, 0, 0, 0, 5, 4, 0, 0, 0, 1]);
});

Deno.test("unknown ids and wrong lengths are WireErrors", () => {
  assert.throws(() => decodeMessage(new Uint8Array([99])), WireError);
  assert.throws(() => decodeMessage(new Uint8Array([0, 0])), WireError);
  assert.throws(() => decodeMessage(new Uint8Array([4, 0, 0])), WireError);
  assert.throws(() => decodeMessage(new Uint8Array([6, 0, 0, 0, 0])), WireError);
  assert.throws(() => decodeMessage(new Uint8Array([7, 0, 0, 0, 0, 0, 0])), WireError);
  assert.throws(() => decodeMessage(new Uint8Array([20])), WireError);
});

Deno.test("decodeMessageAt decodes bodies in place in a larger buffer", () => {
  const junk = new Uint8Array([0xff, 0xee, 0xdd]);
  const batch = encodeMessages(ALL);
  const bytes = new Uint8Array(junk.length * 2 + batch.length);
  bytes.set(junk);
  bytes.set(batch, junk.length);
  bytes.set(junk, junk.length + batch.length);
  const decoded: Message[] = [];
  for (let at = junk.length; at < junk.length + batch.length;) {
    const length = readUint32(bytes, at);
    decoded.push(decodeMessageAt(bytes, at + 4, length));
    at += 4 + length;
  }
  assert.deepEqual(decoded, ALL);
  const piece = decoded.find((m) => m.type === "piece");
  assert(piece?.type === "piece" && piece.block.buffer === bytes.buffer, "a view, not a copy");
  assert.equal(readUint32(new Uint8Array([0xff, 0xff, 0xff, 0xfe]), 0), 0xfffffffe);
});
