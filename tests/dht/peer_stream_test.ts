/** distinctPeers: yields each peer once, as emitted, up to a cap, and stops its producer. */
import assert from "node:assert/strict";
import { distinctPeers } from "../../src/dht/peer_stream.ts";
import type { PeerAddress } from "../../src/tracker/types.ts";

const peer = (port: number): PeerAddress => ({ host: "10.0.0.1", port });

Deno.test("peers come out once each, in order, up to the cap", async () => {
  const out: PeerAddress[] = [];
  const stream = distinctPeers(async (emit) => {
    emit([peer(1), peer(2), peer(1)]);
    await new Promise((r) => setTimeout(r, 5));
    emit([peer(2), peer(3), peer(4)]);
  }, { max: 3 });
  for await (const p of stream) out.push(p);
  assert.deepEqual(out, [peer(1), peer(2), peer(3)]);
});

Deno.test("breaking out of the loop aborts the producer and waits for it", async () => {
  let producerSawAbort = false;
  let producerEnded = false;
  const stream = distinctPeers(async (emit, signal) => {
    emit([peer(1)]);
    await new Promise((r) => signal.addEventListener("abort", r, { once: true }));
    producerSawAbort = true;
    producerEnded = true;
  }, { max: 10 });
  for await (const _ of stream) break;
  assert.ok(producerSawAbort && producerEnded);
});

Deno.test("an outside abort ends the stream; a failing producer just ends it", async () => {
  const controller = new AbortController();
  const stream = distinctPeers(
    (_, signal) => new Promise((r) => signal.addEventListener("abort", r, { once: true })),
    { max: 10, signal: controller.signal },
  );
  setTimeout(() => controller.abort(), 10);
  for await (const _ of stream) assert.fail("no peers were emitted");
  const failing = distinctPeers((emit) => {
    emit([peer(7)]);
    return Promise.reject(new Error("network down"));
  }, { max: 10 });
  const out: PeerAddress[] = [];
  for await (const p of failing) out.push(p);
  assert.deepEqual(out, [peer(7)]);
});
