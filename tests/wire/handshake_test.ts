import assert from "node:assert/strict";
import { decodeHandshake, encodeHandshake, HandshakeError } from "../../src/wire/handshake.ts";

const infoHash = Uint8Array.from({ length: 20 }, (_, i) => i);
const peerId = new TextEncoder().encode("-DN0100-abcdefghijkl");

Deno.test("handshake round-trips with its feature bits", () => {
  for (
    const features of [
      { extended: true, fast: true, dht: true },
      { extended: false, fast: false, dht: false },
      { extended: true, fast: false, dht: false },
    ]
  ) {
    const bytes = encodeHandshake({ infoHash, peerId, features });
    assert.equal(bytes.length, 68);
    assert.equal(new TextDecoder().decode(bytes.subarray(1, 20)), "BitTorrent protocol");
    assert.deepEqual(decodeHandshake(bytes), { infoHash, peerId, features });
  }
});

Deno.test("reserved bits sit where BEP 10 and BEP 6 put them", () => {
  const bytes = encodeHandshake({
    infoHash,
    peerId,
    features: { extended: true, fast: true, dht: true },
  });
  assert.deepEqual([...bytes.subarray(20, 28)], [0, 0, 0, 0, 0, 0x10, 0, 0x05]);
});

Deno.test("foreign protocols are refused", () => {
  const bytes = encodeHandshake({
    infoHash,
    peerId,
    features: { extended: false, fast: false, dht: false },
  });
  bytes[5] ^= 1;
  assert.throws(() => decodeHandshake(bytes), HandshakeError);
  assert.throws(() => decodeHandshake(new Uint8Array(67)), HandshakeError);
});
