import { standardAnnouncers } from "../../src/tracker/announcers.ts";
import { httpAnnounce } from "../../src/tracker/http_tracker.ts";
import { TrackerRefusal } from "../../src/tracker/tracker_error.ts";
import { TrackerTiers } from "../../src/tracker/tracker_tiers.ts";
import type { AnnounceRequest } from "../../src/tracker/types.ts";
import { UdpTrackerClient } from "../../src/tracker/udp_tracker.ts";
import { fromHex } from "../../src/util/bytes.ts";
import { startOpentracker } from "../support/opentracker.ts";
import { freePort, withTimeout } from "../support/process.ts";
import { assert, assertEquals, assertRejects } from "./assert.ts";

const HTTP_HASH = "1111111111111111111111111111111111111111";
const UDP_HASH = "2222222222222222222222222222222222222222";
const TIERS_HASH = "3333333333333333333333333333333333333333";
const UNLISTED_HASH = "4444444444444444444444444444444444444444";

function peer(infoHashHex: string, name: string, port: number, left: number): AnnounceRequest {
  return {
    infoHash: fromHex(infoHashHex),
    peerId: new TextEncoder().encode(`-BT0001-${name.padEnd(12, "0")}`),
    port,
    uploaded: 0,
    downloaded: 0,
    left,
    event: "started",
    numWant: 50,
    key: port,
  };
}

Deno.test("opentracker: a leecher gets the seeder's address over HTTP and over UDP", async () => {
  const tracker = await startOpentracker([HTTP_HASH, UDP_HASH]);
  const udp = new UdpTrackerClient({ retry: { baseTimeoutMs: 500, maxRetries: 2 } });
  try {
    await withTimeout(
      httpAnnounce(tracker.httpUrl, peer(HTTP_HASH, "seed", 41001, 0)),
      5000,
      "http seeder",
    );
    const http = await withTimeout(
      httpAnnounce(tracker.httpUrl, peer(HTTP_HASH, "leech", 41002, 1000)),
      5000,
      "http leecher",
    );
    assert(
      http.peers.some((p) => p.host === "127.0.0.1" && p.port === 41001),
      JSON.stringify(http),
    );
    assertEquals([http.complete, http.incomplete], [1, 1]);
    assert(http.interval > 0);

    await withTimeout(
      udp.announce(tracker.udpUrl, peer(UDP_HASH, "seed", 41011, 0)),
      5000,
      "udp seeder",
    );
    const reply = await withTimeout(
      udp.announce(tracker.udpUrl, peer(UDP_HASH, "leech", 41012, 1000)),
      5000,
      "udp leecher",
    );
    assert(
      reply.peers.some((p) => p.host === "127.0.0.1" && p.port === 41011),
      JSON.stringify(reply),
    );
    assertEquals([reply.complete, reply.incomplete], [1, 1]);
    // The swarms are apart: the HTTP seeder is not in the UDP swarm.
    assert(!reply.peers.some((p) => p.port === 41001));
  } finally {
    udp.close();
    await tracker.stop();
  }
});

Deno.test("opentracker: an info hash off its whitelist is refused with its reason", async () => {
  const tracker = await startOpentracker([HTTP_HASH]);
  const udp = new UdpTrackerClient({ retry: { baseTimeoutMs: 500, maxRetries: 2 } });
  try {
    await assertRejects(
      () =>
        withTimeout(
          httpAnnounce(tracker.httpUrl, peer(UNLISTED_HASH, "x", 41021, 0)),
          5000,
          "http",
        ),
      TrackerRefusal,
      "tracker said: Requested download is not authorized",
    );
    await assertRejects(
      () =>
        withTimeout(udp.announce(tracker.udpUrl, peer(UNLISTED_HASH, "x", 41022, 0)), 5000, "udp"),
      TrackerRefusal,
      "tracker said: empty announce reply (torrent not served?)",
    );
  } finally {
    udp.close();
    await tracker.stop();
  }
});

Deno.test("opentracker: tiers skip a dead UDP tracker and an unknown scheme", async () => {
  const tracker = await startOpentracker([TIERS_HASH]);
  const udp = new UdpTrackerClient({ retry: { baseTimeoutMs: 100, maxRetries: 2 } });
  const dead = `udp://127.0.0.1:${freePort()}/announce`;
  const tiers = (name: string, port: number) =>
    new TrackerTiers({
      tiers: [[dead, "wss://tracker.example/announce"], [tracker.udpUrl], [tracker.httpUrl]],
      infoHash: fromHex(TIERS_HASH),
      peerId: new TextEncoder().encode(`-BT0001-${name.padEnd(12, "0")}`),
      port,
      announcers: standardAnnouncers(udp, { timeoutMs: 2000 }),
    });
  try {
    const seeder = tiers("seed", 41031);
    const started = performance.now();
    await withTimeout(
      seeder.announce("started", { uploaded: 0, downloaded: 0, left: 0 }),
      5000,
      "seeder",
    );
    // The dead tracker cost 100 + 200 + 400 ms of retransmits before the next tier was tried.
    assert(performance.now() - started < 2000);
    const snapshot = seeder.snapshot();
    assertEquals(snapshot.map((t) => t.status), ["backoff", "error", "ok", "idle"]);
    assertEquals(snapshot[0].lastError, `no reply from ${dead} after 3 tries`);
    assertEquals(snapshot[1].lastError, "unsupported tracker protocol wss:");

    const leecher = tiers("leech", 41032);
    const peers = await withTimeout(
      leecher.announce("started", { uploaded: 0, downloaded: 0, left: 10 }),
      5000,
      "leecher",
    );
    assert(peers.some((p) => p.host === "127.0.0.1" && p.port === 41031), JSON.stringify(peers));
    await withTimeout(
      seeder.announce("stopped", { uploaded: 0, downloaded: 0, left: 0 }),
      5000,
      "stop",
    );
    const after = await withTimeout(
      leecher.announce(undefined, { uploaded: 0, downloaded: 0, left: 10 }),
      5000,
      "again",
    );
    assert(
      !after.some((p) => p.port === 41031),
      `stopped seeder still listed: ${JSON.stringify(after)}`,
    );
  } finally {
    udp.close();
    await tracker.stop();
  }
});
