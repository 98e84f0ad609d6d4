import { buildAnnounceUrl, percentEncodeBytes } from "../../src/tracker/http_announce_url.ts";
import type { AnnounceRequest } from "../../src/tracker/types.ts";
import { fromHex } from "../../src/util/bytes.ts";
import { assertEquals } from "./assert.ts";

const request: AnnounceRequest = {
  infoHash: fromHex("00ff2d2e5f7e41207a3a2f3f26253d2b23c3a900"),
  peerId: new TextEncoder().encode("-BT0001-abc def%&=+/"),
  port: 6881,
  uploaded: 10,
  downloaded: 20,
  left: 30,
};

const QUERY = "info_hash=%00%FF-._~A%20z%3A%2F%3F%26%25%3D%2B%23%C3%A9%00" +
  "&peer_id=-BT0001-abc%20def%25%26%3D%2B%2F&port=6881&uploaded=10&downloaded=20&left=30&compact=1";

Deno.test("percent-encoding: byte by byte, unreserved characters kept", () => {
  assertEquals(percentEncodeBytes(new Uint8Array([0x41, 0x20, 0xff, 0x7e, 0x00])), "A%20%FF~%00");
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  // Decoding as Latin-1 byte by byte gives back exactly the input.
  const decoded = unescape(percentEncodeBytes(all));
  assertEquals(Uint8Array.from(decoded, (c) => c.charCodeAt(0)), all);
});

Deno.test("announce URL: our parameters after the path", () => {
  assertEquals(
    buildAnnounceUrl("http://t.example:8080/announce", request),
    `http://t.example:8080/announce?${QUERY}`,
  );
});

Deno.test("announce URL: an existing query string is kept, a fragment dropped", () => {
  assertEquals(
    buildAnnounceUrl("https://t.example/a?passkey=x%2Fy", request),
    `https://t.example/a?passkey=x%2Fy&${QUERY}`,
  );
  assertEquals(buildAnnounceUrl("http://t.example/a?", request), `http://t.example/a?${QUERY}`);
  assertEquals(
    buildAnnounceUrl("http://t.example/a?x=1&", request),
    `http://t.example/a?x=1&${QUERY}`,
  );
  assertEquals(buildAnnounceUrl("http://t.example/a#frag", request), `http://t.example/a?${QUERY}`);
});

Deno.test("announce URL: event, numwant and key when given", () => {
  const url = buildAnnounceUrl("http://t/a", {
    ...request,
    event: "started",
    numWant: 80,
    key: 0xabc,
  });
  assertEquals(url, `http://t/a?${QUERY}&event=started&numwant=80&key=00000abc`);
  const searchParams =
    new URL(buildAnnounceUrl("http://t/a", { ...request, event: "stopped" })).searchParams;
  assertEquals(searchParams.get("event"), "stopped");
  assertEquals(searchParams.get("left"), "30");
});
