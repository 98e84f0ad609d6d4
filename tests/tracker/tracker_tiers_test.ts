import type { Announcer } from "../../src/tracker/announcers.ts";
import { TrackerError, TrackerRefusal } from "../../src/tracker/tracker_error.ts";
import { TrackerTiers, type TrackerTiersOptions } from "../../src/tracker/tracker_tiers.ts";
import type { AnnounceEvent, AnnounceResponse } from "../../src/tracker/types.ts";
import { assert, assertEquals, assertRejects } from "./assert.ts";
import { seededRandom } from "../support/fuzz.ts";

const stats = { uploaded: 0, downloaded: 0, left: 100 };

/** What each fake tracker does; urls not listed fail as unreachable. */
type Script = Record<string, AnnounceResponse | Error | "hang">;

/** A fake clock and announcer recording every call. */
function setup(tiers: string[][], script: Script, extra: Partial<TrackerTiersOptions> = {}) {
  const clock = { now: 1_000_000 };
  const calls: { url: string; event?: AnnounceEvent; key?: number }[] = [];
  const announcer: Announcer = (url, request, signal) => {
    calls.push({ url, event: request.event, key: request.key });
    const step = script[url] ?? new TrackerError(`no reply from ${url}`);
    if (step === "hang") {
      return new Promise((_, reject) =>
        signal?.addEventListener("abort", () => reject(signal.reason))
      );
    }
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  };
  const trackers = new TrackerTiers({
    tiers,
    infoHash: new Uint8Array(20),
    peerId: new Uint8Array(20),
    port: 6881,
    key: 77,
    announcers: { "http:": announcer, "udp:": announcer },
    now: () => clock.now,
    // Never swaps, so tiers keep metainfo order unless a test says otherwise.
    random: () => 0.999,
    backoff: { baseMs: 10_000, maxMs: 35_000 },
    ...extra,
  });
  return { clock, calls, trackers };
}

const reply = (port: number, extra: Partial<AnnounceResponse> = {}): AnnounceResponse => ({
  interval: 1800,
  peers: [{ host: "10.0.0.1", port }],
  ...extra,
});

Deno.test("tiers: first tier first; on failure the next; snapshot shows both", async () => {
  const { clock, calls, trackers } = setup([["http://a/"], ["udp://b:1"]], {
    "http://a/": new TrackerRefusal("unregistered torrent"),
    "udp://b:1": reply(1, { complete: 4, incomplete: 2, interval: 900 }),
  });
  assertEquals(await trackers.announce("started", stats), [{ host: "10.0.0.1", port: 1 }]);
  assertEquals(calls, [
    { url: "http://a/", event: "started", key: 77 },
    { url: "udp://b:1", event: "started", key: 77 },
  ]);
  assertEquals(trackers.snapshot(), [
    {
      url: "http://a/",
      status: "backoff",
      lastError: "tracker said: unregistered torrent",
      peers: 0,
      nextAnnounceAt: clock.now + 10_000,
    },
    {
      url: "udp://b:1",
      status: "ok",
      peers: 1,
      seeders: 4,
      leechers: 2,
      nextAnnounceAt: clock.now + 900_000,
    },
  ]);
  assertEquals(trackers.nextAnnounceAt(), clock.now + 900_000);
});

Deno.test("tiers: trackers are shuffled within a tier, tiers stay in order", async () => {
  const orders = new Set<string>();
  for (let seed = 0; seed < 20; seed++) {
    const random = seededRandom(seed);
    const { calls, trackers } = setup(
      [["http://a/", "http://b/", "http://c/"], ["http://d/", "http://e/"]],
      {},
      {
        random: random.next,
      },
    );
    await assertRejects(
      () => trackers.announce("started", stats),
      TrackerError,
      "no tracker answered",
    );
    const urls = calls.map((c) => c.url);
    assertEquals(urls.slice(0, 3).toSorted(), ["http://a/", "http://b/", "http://c/"]);
    assertEquals(urls.slice(3).toSorted(), ["http://d/", "http://e/"]);
    orders.add(urls.slice(0, 3).join());
  }
  assert(orders.size >= 4, `only ${orders.size} orders of 6 in 20 shuffles`);
});

Deno.test("tiers: the tracker that answers moves to the front of its tier", async () => {
  const script: Script = { "http://b/": reply(2) };
  const { clock, calls, trackers } = setup([["http://a/", "http://b/", "http://c/"]], script);
  await trackers.announce("started", stats);
  assertEquals(calls.map((c) => c.url), ["http://a/", "http://b/"]);
  clock.now += 60_000; // a's backoff is over
  calls.length = 0;
  script["http://a/"] = reply(1);
  await trackers.announce(undefined, stats);
  assertEquals(calls.map((c) => c.url), ["http://b/"]);
  calls.length = 0;
  script["http://b/"] = new TrackerError("down");
  await trackers.announce(undefined, stats);
  assertEquals(calls.map((c) => c.url), ["http://b/", "http://a/"]);
});

Deno.test("tiers: a dead tracker is skipped during an exponential backoff", async () => {
  const { clock, calls, trackers } = setup([["udp://dead:1"]], {});
  const start = clock.now;
  const waits: number[] = [];
  for (let i = 0; i < 4; i++) {
    await assertRejects(
      () => trackers.announce(undefined, stats),
      TrackerError,
      "no reply from udp://dead:1",
    );
    const retryAt = trackers.nextAnnounceAt()!;
    waits.push(retryAt - clock.now);
    clock.now = retryAt - 1;
    await assertRejects(
      () => trackers.announce(undefined, stats),
      TrackerError,
      "no tracker to announce to now",
    );
    clock.now = retryAt;
  }
  assertEquals(waits, [10_000, 20_000, 35_000, 35_000]);
  assertEquals(calls.length, 4);
  assert(clock.now > start);
  assertEquals(trackers.snapshot()[0].status, "backoff");
});

Deno.test("tiers: started is sent once per tracker; completed passes through", async () => {
  const { calls, trackers } = setup([["http://a/"]], { "http://a/": reply(1) });
  await trackers.announce(undefined, stats);
  await trackers.announce(undefined, stats);
  await trackers.announce("completed", stats);
  assertEquals(calls.map((c) => c.event), ["started", undefined, "completed"]);
});

Deno.test("tiers: stopped goes to every tracker that had started, failures ignored", async () => {
  const script: Script = { "http://a/": new TrackerError("down"), "http://b/": reply(2) };
  const { clock, calls, trackers } = setup([["http://a/"], ["http://b/"], ["http://c/"]], script);
  await trackers.announce("started", stats); // a fails, b gets started
  clock.now += 10_000;
  script["http://a/"] = reply(1);
  await trackers.announce(undefined, stats); // a is back and gets started too
  script["http://b/"] = new TrackerError("down");
  calls.length = 0;
  assertEquals(await trackers.announce("stopped", stats), []);
  assertEquals(calls.map((c) => [c.url, c.event]), [["http://a/", "stopped"], [
    "http://b/",
    "stopped",
  ]]);
  assertEquals(trackers.nextAnnounceAt(), undefined);
  assertEquals(trackers.snapshot().map((t) => [t.status, t.lastError]), [
    ["idle", undefined],
    ["error", "down"],
    ["idle", undefined],
  ]);
  // After stopped, the next regular announce starts afresh.
  calls.length = 0;
  await trackers.announce(undefined, stats);
  assertEquals(calls.map((c) => [c.url, c.event]), [["http://a/", "started"]]);
});

Deno.test("tiers: stopped cancels an announce in flight", async () => {
  const script: Script = { "http://a/": "hang" };
  const { calls, trackers } = setup([["http://a/"]], script);
  const first = trackers.announce("started", stats);
  const firstSettled = first.catch((error) => error);
  await new Promise((resolve) => setTimeout(resolve, 10));
  script["http://a/"] = reply(1);
  assertEquals(await trackers.announce("stopped", stats), []);
  const error = await firstSettled;
  assert(error instanceof TrackerError && error.message.includes("cancelled"), String(error));
  // The hung `started` never succeeded, so there was nobody to tell `stopped`.
  assertEquals(calls.map((c) => c.event), ["started"]);
  assertEquals(trackers.snapshot()[0].status, "idle");
});

Deno.test("tiers: announces are serialized", async () => {
  let active = 0;
  let most = 0;
  const slow: Announcer = async () => {
    most = Math.max(most, ++active);
    await new Promise((resolve) => setTimeout(resolve, 5));
    active--;
    return reply(1);
  };
  const trackers = new TrackerTiers({
    tiers: [["http://a/"]],
    infoHash: new Uint8Array(20),
    peerId: new Uint8Array(20),
    port: 1,
    announcers: { "http:": slow },
  });
  await Promise.all([1, 2, 3].map(() => trackers.announce(undefined, stats)));
  assertEquals(most, 1);
});

Deno.test("tiers: the caller's signal aborts the announce", async () => {
  const { trackers } = setup([["http://a/"]], { "http://a/": "hang" });
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("give up")), 10);
  await assertRejects(
    () => trackers.announce(undefined, stats, controller.signal),
    Error,
    "give up",
  );
  assertEquals(trackers.snapshot()[0].status, "idle");
});

Deno.test("tiers: unknown schemes and bad URLs are listed, not tried", async () => {
  const { calls, trackers } = setup([["wss://tracker.example/", "not a url", "http://a/"]], {
    "http://a/": reply(1),
  });
  assertEquals(await trackers.announce("started", stats), [{ host: "10.0.0.1", port: 1 }]);
  assertEquals(calls.map((c) => c.url), ["http://a/"]);
  assertEquals(trackers.snapshot().slice(0, 2), [
    {
      url: "wss://tracker.example/",
      status: "error",
      lastError: "unsupported tracker protocol wss:",
      peers: 0,
    },
    { url: "not a url", status: "error", lastError: "not a URL", peers: 0 },
  ]);
  const none = setup([["wss://x/"]], {}).trackers;
  await assertRejects(
    () => none.announce("started", stats),
    TrackerError,
    "no tracker to announce to now",
  );
  assertEquals(none.nextAnnounceAt(), undefined);
});

Deno.test("tiers: peers deduplicated, port 0 dropped; interval floored", async () => {
  const peers = [
    { host: "10.0.0.1", port: 1 },
    { host: "10.0.0.1", port: 1 },
    { host: "10.0.0.2", port: 0 },
    { host: "::1", port: 1 },
  ];
  const { clock, trackers } = setup([["http://a/"], ["http://b/"]], {
    "http://a/": { interval: 5, peers },
  });
  assertEquals(await trackers.announce("started", stats), [{ host: "10.0.0.1", port: 1 }, {
    host: "::1",
    port: 1,
  }]);
  assertEquals(trackers.nextAnnounceAt(), clock.now + 60_000);
  assertEquals(trackers.snapshot()[0].peers, 4);
});
