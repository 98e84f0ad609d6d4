import { TrackerError, TrackerRefusal } from "../../src/tracker/tracker_error.ts";
import type { AnnounceRequest, AnnounceResponse } from "../../src/tracker/types.ts";
import {
  decodeAnnounceResponse,
  decodeConnectResponse,
  encodeAnnounceRequest,
  encodeConnectRequest,
  udpReplyTransactionId,
} from "../../src/tracker/udp_messages.ts";
import { fromHex, toHex } from "../../src/util/bytes.ts";
import { assert, assertEquals, assertThrows } from "./assert.ts";
import { mutate, seededRandom } from "../support/fuzz.ts";

const request: AnnounceRequest = {
  infoHash: fromHex("0123456789abcdef0123456789abcdef01234567"),
  peerId: new TextEncoder().encode("-BT0001-abcdefghijkl"),
  port: 0x1ae1,
  uploaded: 3,
  downloaded: 0x0102030405,
  left: 7,
  event: "completed",
  numWant: 30,
  key: 0x01020304,
};

function reply(hex: string): Uint8Array {
  return fromHex(hex.replace(/\s+/g, ""));
}

Deno.test("udp connect request: protocol id, action 0, transaction id", () => {
  assertEquals(
    toHex(encodeConnectRequest(0xcafebabe)),
    "0000041727101980" + "00000000" + "cafebabe",
  );
});

Deno.test("udp announce request: BEP 15 layout, 98 bytes", () => {
  const packet = encodeAnnounceRequest(fromHex("1122334455667788"), 9, request);
  assertEquals(
    toHex(packet),
    "1122334455667788" + "00000001" + "00000009" +
      "0123456789abcdef0123456789abcdef01234567" + toHex(request.peerId) +
      "0000000102030405" + "0000000000000007" + "0000000000000003" +
      "00000001" + "00000000" + "01020304" + "0000001e" + "1ae1",
  );
  const regular = encodeAnnounceRequest(fromHex("1122334455667788"), 9, {
    ...request,
    event: undefined,
    numWant: undefined,
    key: undefined,
  });
  assertEquals(toHex(regular.subarray(80, 96)), "00000000" + "00000000" + "00000000" + "ffffffff");
  const started = encodeAnnounceRequest(new Uint8Array(8), 1, { ...request, event: "started" });
  const stopped = encodeAnnounceRequest(new Uint8Array(8), 1, { ...request, event: "stopped" });
  assertEquals([started[83], stopped[83]], [2, 3]);
});

Deno.test("udp announce request: refuses wrong-sized ids", () => {
  assertThrows(() => encodeAnnounceRequest(new Uint8Array(7), 1, request), Error, "8 bytes");
  assertThrows(
    () => encodeAnnounceRequest(new Uint8Array(8), 1, { ...request, infoHash: new Uint8Array(19) }),
    Error,
    "20 bytes",
  );
});

Deno.test("udp connect reply: returns the connection id after checks", () => {
  const good = reply("00000000 00000007 a1a2a3a4a5a6a7a8");
  assertEquals(toHex(decodeConnectResponse(good, 7)), "a1a2a3a4a5a6a7a8");
  assertEquals(udpReplyTransactionId(good), 7);
  assertEquals(udpReplyTransactionId(reply("00000000 000000")), undefined);
  assertThrows(() => decodeConnectResponse(good, 8), TrackerError, "transaction 7, expected 8");
  assertThrows(() => decodeConnectResponse(good.subarray(0, 15), 7), TrackerError, "too short");
  assertThrows(() => decodeConnectResponse(good.subarray(0, 5), 7), TrackerError, "too short");
  assertThrows(
    () => decodeConnectResponse(reply("00000001 00000007 a1a2a3a4a5a6a7a8"), 7),
    TrackerError,
    "action 1, expected 0",
  );
});

Deno.test("udp error reply: the message becomes the TrackerError", () => {
  const error = Uint8Array.from([
    ...reply("00000003 00000005"),
    ...new TextEncoder().encode("go away"),
  ]);
  assertThrows(() => decodeConnectResponse(error, 5), TrackerError, "tracker said: go away");
  assertThrows(() => decodeAnnounceResponse(error, 5, 4), TrackerError, "tracker said: go away");
});

Deno.test("udp announce reply: interval, leechers, seeders, IPv4 and IPv6 peers", () => {
  const v4 = reply("00000001 00000002 00000708 00000004 00000009 0a000001 1ae1 7f000001 0050");
  assertEquals(decodeAnnounceResponse(v4, 2, 4), {
    interval: 1800,
    incomplete: 4,
    complete: 9,
    peers: [{ host: "10.0.0.1", port: 6881 }, { host: "127.0.0.1", port: 80 }],
  });
  const v6 = reply(
    "00000001 00000002 00000708 00000000 00000001 20010db8000000000000000000000001 1ae1",
  );
  assertEquals(decodeAnnounceResponse(v6, 2, 6).peers, [{ host: "2001:db8::1", port: 6881 }]);
  assertThrows(() => decodeAnnounceResponse(v4.subarray(0, 19), 2, 4), TrackerError, "too short");
  assertThrows(
    () => decodeAnnounceResponse(v4.subarray(0, 8), 2, 4),
    TrackerRefusal,
    "tracker said: empty announce reply",
  );
});

Deno.test("udp reply decoders fuzz: valid result or TrackerError, never another error", () => {
  const random = seededRandom(0x15);
  const seeds = [
    reply("00000000 00000007 a1a2a3a4a5a6a7a8"),
    reply("00000001 00000007 00000708 00000004 00000009 0a000001 1ae1 7f000001 0050"),
    Uint8Array.from([...reply("00000003 00000007"), ...new TextEncoder().encode("error")]),
  ];
  for (let i = 0; i < 3000; i++) {
    const input = i % 10 === 0
      ? random.bytes(random.int(64))
      : mutate(random, seeds[i % seeds.length]);
    const family = i % 2 === 0 ? 4 : 6;
    try {
      const id = decodeConnectResponse(input, 7);
      assertEquals(id.length, 8);
    } catch (error) {
      assert(error instanceof TrackerError, `connect reply ${toHex(input)}: ${error}`);
    }
    try {
      checkAnnounce(decodeAnnounceResponse(input, 7, family));
    } catch (error) {
      assert(error instanceof TrackerError, `announce reply ${toHex(input)}: ${error}`);
    }
  }
});

function checkAnnounce(response: AnnounceResponse) {
  assert(Number.isInteger(response.interval) && response.interval >= 0);
  for (const peer of response.peers) {
    assert(typeof peer.host === "string" && peer.host.length > 0);
    assert(Number.isInteger(peer.port) && peer.port >= 0 && peer.port <= 65535);
  }
}
