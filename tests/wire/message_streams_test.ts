import assert from "node:assert/strict";
import { encodeHandshake, HandshakeError } from "../../src/wire/handshake.ts";
import {
  MessageDecoderStream,
  MessageEncoderStream,
  MessageUnframer,
  type WireFrame,
} from "../../src/wire/message_streams.ts";
import { encodeMessages, type Message, WireError } from "../../src/wire/messages.ts";
import { concatBytes } from "../../src/util/bytes.ts";
import { seededRandom } from "../support/fuzz.ts";

const handshake = {
  infoHash: new Uint8Array(20).fill(7),
  peerId: new Uint8Array(20).fill(9),
  features: { extended: false, fast: true, dht: false },
};

const messages: Message[] = [
  { type: "bitfield", bitfield: new Uint8Array([0xff, 0x80]) },
  { type: "keep-alive" },
  { type: "unchoke" },
  {
    type: "piece",
    index: 1,
    begin: 0,
    block: Uint8Array.from({ length: 16384 }, (_, i) => i & 255),
  },
  { type: "have", index: 5 },
  { type: "keep-alive" },
  { type: "piece", index: 2, begin: 16384, block: new Uint8Array(3).fill(1) },
  { type: "request", index: 1, begin: 2, length: 3 },
];
const stream = concatBytes([encodeHandshake(handshake), encodeMessages(messages)]);

function unframeInChunks(bytes: Uint8Array, sizes: () => number): WireFrame[] {
  const unframer = new MessageUnframer({ handshake: true });
  const out: WireFrame[] = [];
  for (let at = 0; at < bytes.length;) {
    const n = Math.max(1, Math.min(bytes.length - at, sizes()));
    unframer.push(bytes.slice(at, at + n), (f) => out.push(f));
    at += n;
  }
  assert.equal(unframer.buffered, 0);
  return out;
}

Deno.test("unframing gives the same frames whatever the chunk boundaries", () => {
  const expected: WireFrame[] = [{ type: "handshake", handshake }, ...messages];
  assert.deepEqual(unframeInChunks(stream, () => stream.length), expected);
  assert.deepEqual(unframeInChunks(stream, () => 1), expected);
  const random = seededRandom(42).next;
  for (let round = 0; round < 200; round++) {
    const max = 1 + Math.floor(random() * 40000);
    assert.deepEqual(unframeInChunks(stream, () => Math.floor(random() * max)), expected);
  }
});

Deno.test("a 2 GiB length prefix ends the connection before any allocation", () => {
  const unframer = new MessageUnframer();
  assert.throws(() => unframer.push(new Uint8Array([0x80, 0, 0, 0, 7]), () => {}), WireError);
  const split = new MessageUnframer();
  split.push(new Uint8Array([0x7f, 0xff]), () => {});
  assert.throws(() => split.push(new Uint8Array([0xff, 0xff]), () => {}), WireError);
});

Deno.test("the bound on message length is configurable", () => {
  const unframer = new MessageUnframer({ maxMessageLength: 100 });
  assert.throws(
    () =>
      unframer.push(
        encodeMessages([{ type: "bitfield", bitfield: new Uint8Array(100) }]),
        () => {},
      ),
    WireError,
  );
});

Deno.test("streams: encoder output decodes to the same frames", async () => {
  const encoder = new MessageEncoderStream();
  const frames = encoder.readable.pipeThrough(new MessageDecoderStream({ handshake: true }));
  const writer = encoder.writable.getWriter();
  writer.write([{ type: "handshake", handshake }, ...messages.slice(0, 3)]);
  writer.write(messages.slice(3));
  writer.close();
  const got: WireFrame[] = [];
  for await (const f of frames) got.push(f);
  assert.deepEqual(got, [{ type: "handshake", handshake }, ...messages]);
});

Deno.test("a stream that ends inside a message is an error", async () => {
  const bytes = encodeMessages([{ type: "have", index: 1 }]).subarray(0, 6);
  const frames = ReadableStream.from([bytes]).pipeThrough(new MessageDecoderStream());
  await assert.rejects(async () => {
    for await (const _ of frames) { /* drain */ }
  }, WireError);
});

Deno.test("fuzz: random and mutated input gives frames or our errors, never anything else", () => {
  const random = seededRandom(7).next;
  for (let round = 0; round < 3000; round++) {
    let bytes: Uint8Array;
    if (round % 2 === 0) {
      bytes = stream.slice(0, Math.floor(random() * stream.length));
      for (let k = 0; k < 4; k++) {
        bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      }
    } else {
      bytes = Uint8Array.from(
        { length: Math.floor(random() * 200) },
        () => Math.floor(random() * 256),
      );
    }
    const unframer = new MessageUnframer({ handshake: round % 4 < 2, maxMessageLength: 1 << 16 });
    try {
      unframer.push(bytes, () => {});
    } catch (error) {
      assert(
        error instanceof WireError || error instanceof HandshakeError,
        `round ${round}: ${error}`,
      );
    }
  }
});
