import { encodeBencode } from "../../src/bencode/encode_bencode.ts";
import { parseHttpAnnounceReply } from "../../src/tracker/http_reply.ts";
import { TrackerError, TrackerRefusal } from "../../src/tracker/tracker_error.ts";
import { fromHex, toHex } from "../../src/util/bytes.ts";
import { assert, assertEquals, assertThrows } from "./assert.ts";
import { mutate, seededRandom } from "../support/fuzz.ts";

const text = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (string | Uint8Array)[]) =>
  Uint8Array.from(parts.flatMap((p) => [...(typeof p === "string" ? text(p) : p)]));

Deno.test("http reply: compact peers, counts and intervals", () => {
  const body = bytes(
    "d8:completei5e10:incompletei3e8:intervali1800e12:min intervali900e5:peers12:",
    fromHex("7f0000011ae1c0a80001c8d5"),
    "e",
  );
  assertEquals(parseHttpAnnounceReply(body), {
    interval: 1800,
    minInterval: 900,
    complete: 5,
    incomplete: 3,
    peers: [{ host: "127.0.0.1", port: 6881 }, { host: "192.168.0.1", port: 51413 }],
  });
});

Deno.test("http reply: dictionary peer list with ip, port and peer id", () => {
  const peerId = text("-TR3000-000000000001");
  const body = encodeBencode({
    interval: 60,
    peers: [
      { ip: text("10.0.0.7"), port: 6881, "peer id": peerId },
      { ip: text("2001:db8::5"), port: 1 },
      { ip: text("seed.example.org"), port: 2 },
      { ip: text("10.0.0.8"), port: 0 }, // unusable port
      { ip: text("bad host\n"), port: 3 }, // not an address
      { port: 4 }, // no ip
      text("not a dict"),
    ],
  });
  assertEquals(parseHttpAnnounceReply(body).peers, [
    { host: "10.0.0.7", port: 6881, peerId },
    { host: "2001:db8::5", port: 1 },
    { host: "seed.example.org", port: 2 },
  ]);
});

Deno.test("http reply: peers6 is added to peers", () => {
  const body = bytes(
    "d8:intervali10e5:peers6:",
    fromHex("0a0000011ae1"),
    "6:peers618:",
    fromHex("00000000000000000000000000000001" + "0050"),
    "e",
  );
  assertEquals(parseHttpAnnounceReply(body).peers, [{ host: "10.0.0.1", port: 6881 }, {
    host: "::1",
    port: 80,
  }]);
});

Deno.test("http reply: failure reason becomes a TrackerRefusal with its text", () => {
  assertThrows(
    () => parseHttpAnnounceReply(text("d14:failure reason25:Requested download is bade")),
    TrackerRefusal,
    "tracker said: Requested download is bad",
  );
  assertThrows(
    () => parseHttpAnnounceReply(text("d14:failure reasoni1ee")),
    TrackerRefusal,
    "unreadable",
  );
});

Deno.test("http reply: warning message kept, missing interval defaults to 1800", () => {
  const reply = parseHttpAnnounceReply(text("d15:warning message9:slow down5:peers0:e"));
  assertEquals(reply, { interval: 1800, peers: [], warning: "slow down" });
});

Deno.test("http reply: malformed replies give clear TrackerErrors", () => {
  const cases: [string, string][] = [
    ["<html>Not Found</html>", `tracker reply is not bencode`],
    ["", "tracker reply is not bencode"],
    ["le", "not a bencode dictionary"],
    ["d8:interval2:10e", `bad "interval"`],
    ["d8:intervali-5ee", `bad "interval"`],
    ["d8:completei-1ee", `bad "complete"`],
    ["d5:peersi3ee", `bad "peers"`],
    ["d6:peers6lee", `bad "peers6"`],
  ];
  for (const [body, message] of cases) {
    assertThrows(() => parseHttpAnnounceReply(text(body)), TrackerError, message);
  }
  assertThrows(() => parseHttpAnnounceReply(text("<html>")), TrackerError, `"<html>"`);
});

Deno.test("http reply fuzz: valid result or TrackerError, never another error", () => {
  const random = seededRandom(0xb17);
  const seeds = [
    bytes(
      "d8:completei5e10:incompletei3e8:intervali1800e12:min intervali900e5:peers12:",
      fromHex("7f0000011ae1c0a80001c8d5"),
      "e",
    ),
    encodeBencode({
      interval: 60,
      peers: [{ ip: text("10.0.0.7"), port: 6881, "peer id": text("-TR3000-000000000001") }],
    }),
    bytes("d8:intervali10e6:peers618:", fromHex("00000000000000000000000000000001" + "0050"), "e"),
    text("d14:failure reason6:go awaye"),
    text("d15:warning message4:slow5:peers0:e"),
  ];
  for (let i = 0; i < 4000; i++) {
    const input = mutate(random, seeds[i % seeds.length]);
    try {
      const reply = parseHttpAnnounceReply(input);
      assert(Number.isInteger(reply.interval) && reply.interval >= 0);
      for (const peer of reply.peers) {
        assert(typeof peer.host === "string" && peer.host.length > 0);
        assert(Number.isInteger(peer.port) && peer.port >= 0 && peer.port <= 65535);
      }
    } catch (error) {
      assert(error instanceof TrackerError, `input ${toHex(input)}: ${error}`);
    }
  }
});
