import { parsePeerAddress, PeerAddressError } from "../../src/tracker/peer_address.ts";
import { assertEquals, assertThrows } from "./assert.ts";

Deno.test("peer address: IPv4, hostname and bracketed IPv6", () => {
  assertEquals(parsePeerAddress("127.0.0.1:6881"), { host: "127.0.0.1", port: 6881 });
  assertEquals(parsePeerAddress("seed-1.example.org:1"), { host: "seed-1.example.org", port: 1 });
  assertEquals(parsePeerAddress("localhost:65535"), { host: "localhost", port: 65535 });
  assertEquals(parsePeerAddress("[::1]:6881"), { host: "::1", port: 6881 });
  assertEquals(parsePeerAddress("[2001:DB8:0::1]:80"), { host: "2001:db8::1", port: 80 });
});

Deno.test("peer address: clear errors for bad input", () => {
  const cases: [string, string][] = [
    ["127.0.0.1", "expected host:port or [v6]:port"],
    [":6881", "the host is missing"],
    ["::1:6881", "an IPv6 address needs brackets"],
    ["[::1]", "expected [v6]:port"],
    ["[nope]:1", `"nope" is not an IPv6 address`],
    ["1.2.3.999:1", `"1.2.3.999" is not a host`],
    ["bad_host:1", `"bad_host" is not a host`],
    ["host:0", "the port must be a number from 1 to 65535"],
    ["host:65536", "the port must be"],
    ["host:", "the port must be"],
    ["host:12ab", "the port must be"],
    ["[::1]:-1", "the port must be"],
  ];
  for (const [input, message] of cases) {
    assertThrows(() => parsePeerAddress(input), PeerAddressError, message);
    assertThrows(() => parsePeerAddress(input), PeerAddressError, `bad peer address "${input}"`);
  }
});
