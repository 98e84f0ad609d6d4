import {
  decodeCompactPeers,
  encodeCompactPeers,
  formatIpv6,
  parseIpv4,
  parseIpv6,
} from "../../src/tracker/compact_peers.ts";
import { fromHex, toHex } from "../../src/util/bytes.ts";
import { assert, assertEquals, assertThrows } from "./assert.ts";
import { seededRandom } from "../support/fuzz.ts";

Deno.test("compact peers: IPv4 entries, big-endian ports", () => {
  assertEquals(decodeCompactPeers(fromHex("7f0000011ae1" + "c0a80a0bffff"), 4), [
    { host: "127.0.0.1", port: 6881 },
    { host: "192.168.10.11", port: 65535 },
  ]);
  assertEquals(decodeCompactPeers(new Uint8Array(), 4), []);
});

Deno.test("compact peers: IPv6 entries in RFC 5952 form", () => {
  const bytes = fromHex(
    "20010db8000000000000000000000001" + "1ae1" + "fe800000000000000000000000000000" + "0001",
  );
  assertEquals(decodeCompactPeers(bytes, 6), [
    { host: "2001:db8::1", port: 6881 },
    { host: "fe80::", port: 1 },
  ]);
});

Deno.test("compact peers: a trailing partial entry is ignored", () => {
  assertEquals(decodeCompactPeers(fromHex("7f0000011ae1" + "0102"), 4), [{
    host: "127.0.0.1",
    port: 6881,
  }]);
  assertEquals(decodeCompactPeers(fromHex("7f0000011ae1").subarray(0, 5), 4), []);
});

Deno.test("compact peers: encode is the inverse of decode", () => {
  const random = seededRandom(7);
  for (const family of [4, 6] as const) {
    for (let i = 0; i < 200; i++) {
      const bytes = random.bytes((family === 4 ? 6 : 18) * random.int(5));
      assertEquals(
        toHex(encodeCompactPeers(decodeCompactPeers(bytes, family), family)),
        toHex(bytes),
      );
    }
  }
  assertThrows(
    () => encodeCompactPeers([{ host: "example.com", port: 1 }], 4),
    Error,
    "not an IPv4",
  );
  assertThrows(() => encodeCompactPeers([{ host: "1.2.3.4", port: 1 }], 6), Error, "not an IPv6");
});

Deno.test("ip parsing: accepts addresses, refuses the rest", () => {
  assertEquals(parseIpv4("10.0.0.255"), new Uint8Array([10, 0, 0, 255]));
  for (const bad of ["10.0.0", "10.0.0.256", "01.0.0.1", "a.b.c.d", "1.2.3.4.5", ""]) {
    assertEquals(parseIpv4(bad), undefined, bad);
  }
  assertEquals(toHex(parseIpv6("::ffff:1.2.3.4")!), "00000000000000000000ffff01020304");
  assertEquals(formatIpv6(parseIpv6("2001:DB8:0:0:1::1")!), "2001:db8::1:0:0:1");
  for (const bad of ["1::2::3", "12345::", ":::", "1.2.3.4", "g::1", "", "[::1]"]) {
    assertEquals(parseIpv6(bad), undefined, bad);
  }
  assert(parseIpv6("1:2:3:4:5:6:7:8"));
});
