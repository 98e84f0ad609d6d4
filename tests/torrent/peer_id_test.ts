import assert from "node:assert/strict";
import { clientName, makePeerId } from "../../src/torrent/peer_id.ts";

const id = (prefix: string, tail: number[] = []) => {
  const bytes = new Uint8Array(20);
  bytes.set(new TextEncoder().encode(prefix));
  bytes.set(tail, prefix.length);
  return bytes;
};

Deno.test("clients are named from their peer-id prefix", () => {
  assert.equal(clientName(id("-TR3000-abcdefghijkl")), "Transmission 3.00");
  assert.equal(clientName(id("-LT2080-abcdefghijkl")), "libtorrent 2.0.8");
  assert.equal(clientName(id("M7-4-3--")), "BitTorrent 7.4.3");
  assert.equal(clientName(id("XYZ")), "unknown");
});

Deno.test("a random tail that is not UTF-8 does not hide aria2's version", () => {
  // aria2 1.36.0: "A2-1-36-0-" then 10 random bytes, here an invalid UTF-8 sequence.
  const peerId = id("A2-1-36-0-", [0xff, 0xfe, 0x80, 0xc3, 0x28, 1, 2, 3, 4, 5]);
  assert.equal(new TextDecoder("utf-8", { fatal: false }).decode(peerId).includes("\ufffd"), true);
  assert.equal(clientName(peerId), "aria2 1.36.0");
  assert.equal(clientName(id("A2-x")), "aria2");
  assert.equal(clientName(id("M7-4-3-", [0xff, 0xff])), "BitTorrent 7.4.3");
});

Deno.test("our own peer-id names us", () => {
  const ours = makePeerId();
  assert.equal(ours.length, 20);
  assert.match(clientName(ours), /^bittorrent-ts /);
});
