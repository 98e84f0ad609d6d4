import { encodeBencode } from "../../src/bencode/encode_bencode.ts";
import { httpAnnounce } from "../../src/tracker/http_tracker.ts";
import { TrackerError, TrackerRefusal } from "../../src/tracker/tracker_error.ts";
import type { AnnounceRequest } from "../../src/tracker/types.ts";
import { fromHex } from "../../src/util/bytes.ts";
import { freePort, withTimeout } from "../support/process.ts";
import { assert, assertEquals, assertRejects } from "./assert.ts";

const request: AnnounceRequest = {
  infoHash: fromHex("00ff2d2e5f7e41207a3a2f3f26253d2b23c3a900"),
  peerId: new TextEncoder().encode("-BT0001-abcdefghijkl"),
  port: 6881,
  uploaded: 1,
  downloaded: 2,
  left: 3,
  event: "started",
};

/** Serves `handler` on a free port of 127.0.0.1 for the length of `body`. */
async function withFakeTracker(
  handler: (request: Request) => Response | Promise<Response>,
  body: (url: string) => Promise<void>,
) {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, handler);
  try {
    await body(`http://127.0.0.1:${server.addr.port}/announce`);
  } finally {
    await server.shutdown();
  }
}

function bencoded(value: Parameters<typeof encodeBencode>[0]): Uint8Array<ArrayBuffer> {
  return encodeBencode(value) as Uint8Array<ArrayBuffer>;
}

/** Bytes of a percent-encoded query value, decoded byte by byte. */
function queryBytes(url: string, name: string): Uint8Array {
  const raw = new URL(url).search.slice(1).split("&").find((p) => p.startsWith(`${name}=`))!.slice(
    name.length + 1,
  );
  return Uint8Array.from(unescape(raw), (c) => c.charCodeAt(0));
}

Deno.test("http announce: sends the request, parses a compact reply", async () => {
  const seen: string[] = [];
  await withFakeTracker((req) => {
    seen.push(req.url);
    return new Response(
      bencoded({ interval: 120, complete: 1, peers: fromHex("0a0000011ae1") }),
    );
  }, async (url) => {
    const reply = await withTimeout(httpAnnounce(`${url}?passkey=abc`, request), 5000, "announce");
    assertEquals(reply, { interval: 120, complete: 1, peers: [{ host: "10.0.0.1", port: 6881 }] });
  });
  assertEquals(seen.length, 1);
  const params = new URL(seen[0]).searchParams;
  assertEquals(queryBytes(seen[0], "info_hash"), request.infoHash);
  assertEquals(queryBytes(seen[0], "peer_id"), request.peerId);
  assertEquals(
    ["passkey", "port", "uploaded", "downloaded", "left", "compact", "event"].map((k) =>
      params.get(k)
    ),
    ["abc", "6881", "1", "2", "3", "1", "started"],
  );
});

Deno.test("http announce: failure reason, even with an error status, is a TrackerRefusal", async () => {
  for (const status of [200, 400]) {
    await withFakeTracker(
      () => new Response(bencoded({ "failure reason": "unregistered hash" }), { status }),
      async (url) => {
        await assertRejects(
          () => withTimeout(httpAnnounce(url, request), 5000, "announce"),
          TrackerRefusal,
          "tracker said: unregistered hash",
        );
      },
    );
  }
});

Deno.test("http announce: an error status names the status", async () => {
  await withFakeTracker(() => new Response("<html>gone</html>", { status: 404 }), async (url) => {
    await assertRejects(
      () => withTimeout(httpAnnounce(url, request), 5000, "announce"),
      TrackerError,
      `${url} answered HTTP 404`,
    );
  });
});

Deno.test("http announce: a body that is not bencode says so", async () => {
  await withFakeTracker(() => new Response("<html>hello</html>"), async (url) => {
    await assertRejects(
      () => withTimeout(httpAnnounce(url, request), 5000, "announce"),
      TrackerError,
      `tracker reply is not bencode`,
    );
  });
});

Deno.test("http announce: a slow tracker times out", async () => {
  // The handler is held until the client has given up, so the server can then shut down.
  const held = Promise.withResolvers<void>();
  await withFakeTracker(async () => {
    await held.promise;
    return new Response("");
  }, async (url) => {
    const started = performance.now();
    try {
      await assertRejects(
        () => withTimeout(httpAnnounce(url, request, { timeoutMs: 200 }), 5000, "announce"),
        TrackerError,
        `no reply from ${url} within 200 ms`,
      );
    } finally {
      held.resolve();
    }
    assert(performance.now() - started < 1000);
  });
});

Deno.test("http announce: a reply body beyond the bound is refused", async () => {
  const big = new Uint8Array(64 * 1024).fill(0x61);
  const streamed = () =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(big);
        controller.close();
      },
    });
  for (const body of [() => big, streamed]) {
    await withFakeTracker(() => new Response(body()), async (url) => {
      await assertRejects(
        () => withTimeout(httpAnnounce(url, request, { maxReplyBytes: 1000 }), 5000, "announce"),
        TrackerError,
        "is larger than 1000 bytes",
      );
    });
  }
});

Deno.test("http announce: a closed port is a clear error, fast", async () => {
  const url = `http://127.0.0.1:${freePort()}/announce`;
  const started = performance.now();
  await assertRejects(
    () => withTimeout(httpAnnounce(url, request, { timeoutMs: 2000 }), 5000, "announce"),
    TrackerError,
    `cannot reach ${url}:`,
  );
  assert(performance.now() - started < 2000);
});

Deno.test("http announce: the caller's abort rejects with its reason", async () => {
  const held = Promise.withResolvers<void>();
  await withFakeTracker(async () => {
    await held.promise;
    return new Response("");
  }, async (url) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("shutting down")), 50);
    try {
      await assertRejects(
        () =>
          withTimeout(httpAnnounce(url, request, { signal: controller.signal }), 5000, "announce"),
        Error,
        "shutting down",
      );
    } finally {
      held.resolve();
    }
  });
});
