import { TrackerError } from "../../src/tracker/tracker_error.ts";
import type { AnnounceRequest } from "../../src/tracker/types.ts";
import { UdpTrackerClient } from "../../src/tracker/udp_tracker.ts";
import { freePort, withTimeout } from "../support/process.ts";
import { assert, assertEquals, assertRejects } from "./assert.ts";
import { startFakeUdpTracker } from "./fake_udp_tracker.ts";

const request: AnnounceRequest = {
  infoHash: new Uint8Array(20).fill(0xab),
  peerId: new TextEncoder().encode("-BT0001-abcdefghijkl"),
  port: 51413,
  uploaded: 1,
  downloaded: 2,
  left: 2 ** 40,
  event: "started",
  numWant: 50,
  key: 0xdeadbeef,
};

const fast = { baseTimeoutMs: 50, maxRetries: 2 };

Deno.test("udp announce: sends the BEP 15 fields and returns the reply", async () => {
  const tracker = await startFakeUdpTracker({
    peers: [{ host: "10.1.2.3", port: 6881 }, { host: "192.168.0.9", port: 1 }],
    interval: 900,
  });
  const udp = new UdpTrackerClient({ retry: fast });
  try {
    const reply = await withTimeout(udp.announce(tracker.url, request), 5000, "announce");
    assertEquals(reply, {
      interval: 900,
      incomplete: 3,
      complete: 5,
      peers: [{ host: "10.1.2.3", port: 6881 }, { host: "192.168.0.9", port: 1 }],
    });
    assertEquals(tracker.announces, [{
      infoHash: request.infoHash,
      peerId: request.peerId,
      downloaded: 2n,
      left: 2n ** 40n,
      uploaded: 1n,
      event: 2,
      key: 0xdeadbeef,
      numWant: 50,
      port: 51413,
    }]);
  } finally {
    udp.close();
    await tracker.close();
  }
});

Deno.test("udp announce: regular announce has event 0 and default numwant -1", async () => {
  const tracker = await startFakeUdpTracker();
  const udp = new UdpTrackerClient({ retry: fast });
  try {
    await withTimeout(
      udp.announce(tracker.url, { ...request, event: undefined, numWant: undefined }),
      5000,
      "announce",
    );
    assertEquals(tracker.announces[0].event, 0);
    assertEquals(tracker.announces[0].numWant, -1);
  } finally {
    udp.close();
    await tracker.close();
  }
});

Deno.test("udp announce: connection id reused for 60 s, then renewed", async () => {
  const tracker = await startFakeUdpTracker();
  let now = 1_000_000;
  const udp = new UdpTrackerClient({ retry: fast, now: () => now });
  try {
    await withTimeout(udp.announce(tracker.url, request), 5000, "first announce");
    now += 59_000;
    await withTimeout(udp.announce(tracker.url, request), 5000, "second announce");
    assertEquals(tracker.connects, 1);
    now += 1_000;
    await withTimeout(udp.announce(tracker.url, request), 5000, "third announce");
    assertEquals(tracker.connects, 2);
    assertEquals(tracker.announces.length, 3);
  } finally {
    udp.close();
    await tracker.close();
  }
});

Deno.test("udp announce: retransmits with doubling timeouts until answered", async () => {
  const tracker = await startFakeUdpTracker({ drop: 2 });
  const udp = new UdpTrackerClient({ retry: { baseTimeoutMs: 60, maxRetries: 3 } });
  try {
    const started = performance.now();
    await withTimeout(udp.announce(tracker.url, request), 5000, "announce");
    const elapsed = performance.now() - started;
    // Two dropped connects (60 ms + 120 ms waits), then connect and announce answered.
    assertEquals(tracker.packets, 4);
    assertEquals(tracker.connects, 1);
    assert(elapsed >= 175, `retransmits came too soon: ${elapsed} ms`);
    assert(elapsed < 1000, `retransmits came too late: ${elapsed} ms`);
  } finally {
    udp.close();
    await tracker.close();
  }
});

Deno.test("udp announce: a silent tracker fails after maxRetries + 1 sends", async () => {
  const tracker = await startFakeUdpTracker({ drop: Infinity });
  const udp = new UdpTrackerClient({ retry: { baseTimeoutMs: 50, maxRetries: 2 } });
  try {
    const started = performance.now();
    await assertRejects(
      () => withTimeout(udp.announce(tracker.url, request), 5000, "announce"),
      TrackerError,
      `no reply from ${tracker.url} after 3 tries`,
    );
    const elapsed = performance.now() - started;
    assertEquals(tracker.packets, 3);
    assert(elapsed >= 345 && elapsed < 1000, `gave up after ${elapsed} ms, expected 350`);
  } finally {
    udp.close();
    await tracker.close();
  }
});

Deno.test("udp announce: a closed port fails within the retry budget", async () => {
  const udp = new UdpTrackerClient({ retry: fast });
  try {
    await assertRejects(
      () => withTimeout(udp.announce(`udp://127.0.0.1:${freePort()}`, request), 2000, "announce"),
      TrackerError,
      "no reply from",
    );
  } finally {
    udp.close();
  }
});

Deno.test("udp announce: the tracker's error message becomes the TrackerError", async () => {
  const tracker = await startFakeUdpTracker({ error: "torrent not\nregistered" });
  const udp = new UdpTrackerClient({ retry: fast });
  try {
    await assertRejects(
      () => withTimeout(udp.announce(tracker.url, request), 5000, "announce"),
      TrackerError,
      "tracker said: torrent not registered",
    );
    // After an error reply the connection id is not trusted any more.
    await assertRejects(
      () => withTimeout(udp.announce(tracker.url, request), 5000, "again"),
      TrackerError,
      "tracker said",
    );
    assertEquals(tracker.connects, 2);
  } finally {
    udp.close();
    await tracker.close();
  }
});

Deno.test("udp announce: over IPv6 the peers are 18-byte entries", async () => {
  const tracker = await startFakeUdpTracker({
    family: 6,
    peers: [{ host: "2001:db8::7", port: 6881 }],
  });
  const udp = new UdpTrackerClient({ retry: fast });
  try {
    assert(tracker.url.startsWith("udp://[::1]:"), tracker.url);
    const reply = await withTimeout(udp.announce(tracker.url, request), 5000, "announce");
    assertEquals(reply.peers, [{ host: "2001:db8::7", port: 6881 }]);
  } finally {
    udp.close();
    await tracker.close();
  }
});

Deno.test("udp announce: resolves a hostname", async () => {
  const tracker = await startFakeUdpTracker();
  const udp = new UdpTrackerClient({ retry: fast });
  try {
    const url = tracker.url.replace("127.0.0.1", "localhost");
    const reply = await withTimeout(udp.announce(url, request), 5000, "announce");
    assertEquals(reply.interval, 1800);
  } finally {
    udp.close();
    await tracker.close();
  }
});

Deno.test("udp announce: bad URLs and unknown hosts are TrackerErrors", async () => {
  const udp = new UdpTrackerClient({ retry: fast });
  try {
    await assertRejects(
      () => udp.announce("udp://no-port.example", request),
      TrackerError,
      "no host or port",
    );
    await assertRejects(
      () => udp.announce("http://x:1/", request),
      TrackerError,
      "not a udp:// URL",
    );
    await assertRejects(() => udp.announce("::", request), TrackerError, "not a URL");
    await assertRejects(
      () => withTimeout(udp.announce("udp://no-such-host.invalid:80", request), 5000, "lookup"),
      TrackerError,
      "cannot resolve no-such-host.invalid",
    );
  } finally {
    udp.close();
  }
});

Deno.test("udp announce: abort rejects with the signal's reason", async () => {
  const tracker = await startFakeUdpTracker({ drop: Infinity });
  const udp = new UdpTrackerClient({ retry: { baseTimeoutMs: 10_000, maxRetries: 0 } });
  try {
    const controller = new AbortController();
    const pending = udp.announce(tracker.url, request, controller.signal);
    setTimeout(() => controller.abort(new Error("shutting down")), 30);
    await assertRejects(
      () => withTimeout(pending, 2000, "aborted announce"),
      Error,
      "shutting down",
    );
  } finally {
    udp.close();
    await tracker.close();
  }
});

Deno.test("udp announce: close() fails a waiting announce", async () => {
  const tracker = await startFakeUdpTracker({ drop: Infinity });
  const udp = new UdpTrackerClient({ retry: { baseTimeoutMs: 10_000, maxRetries: 0 } });
  try {
    const pending = udp.announce(tracker.url, request);
    setTimeout(() => udp.close(), 30);
    await assertRejects(
      () => withTimeout(pending, 2000, "closed announce"),
      TrackerError,
      "closed",
    );
  } finally {
    await tracker.close();
  }
});
