import assert from "node:assert/strict";
import {
  pickSlotVictim,
  ProcessSlots,
  type SlotHolder,
} from "../../src/transcode/process_slots.ts";
import { TranscodeError } from "../../src/transcode/transcode_error.ts";

Deno.test("pickSlotVictim: same file first, then the idlest, never a busy one", () => {
  const a = { fileKey: "a", busy: true, lastActive: 1 };
  const b = { fileKey: "b", busy: false, lastActive: 5 };
  const c = { fileKey: "c", busy: false, lastActive: 3 };
  assert.equal(pickSlotVictim([a, b], "a", 2), "a", "a file's new process replaces its old one");
  assert.equal(pickSlotVictim([a], "b", 2), undefined, "a free slot");
  assert.equal(pickSlotVictim([a, b, c], "d", 3), "c");
  assert.equal(pickSlotVictim([a, b], "d", 2), "b");
  assert.equal(pickSlotVictim([a, { ...b, busy: true }], "d", 2), undefined, "all busy: wait");
});

function holder(fileKey: string, busy: { value: boolean }, log: string[]): SlotHolder {
  return {
    fileKey,
    busy: () => busy.value,
    lastActive: () => 0,
    stop: () => {
      log.push(`stop ${fileKey}`);
      return Promise.resolve();
    },
  };
}

Deno.test("ProcessSlots: one per file, at most max, busy holders make newcomers wait", async () => {
  const slots = new ProcessSlots(2);
  const log: string[] = [];
  const busyA = { value: true };
  const busyB = { value: true };
  const a = holder("a", busyA, log);
  const b = holder("b", busyB, log);
  assert.equal(await slots.acquire(a, { wait: true }), true);
  assert.equal(await slots.acquire(b, { wait: true }), true);
  assert.equal(await slots.acquire(holder("c", { value: false }, log), { wait: false }), false);
  assert.deepEqual(log, []);

  // Same file: the old holder is stopped and replaced at once, busy or not.
  const a2 = holder("a", { value: true }, log);
  assert.equal(await slots.acquire(a2, { wait: true }), true);
  assert.deepEqual(log, ["stop a"]);
  assert.equal(slots.size, 2);

  // A newcomer waits while both are busy, and gets the slot the moment one is released.
  const c = holder("c", { value: false }, log);
  let granted = false;
  const waiting = slots.acquire(c, { wait: true }).then((ok) => (granted = ok));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(granted, false);
  slots.release(b);
  await waiting;
  assert.equal(granted, true);
  assert.equal(slots.size, 2);

  // An idle holder is stopped to make room.
  busyA.value = false;
  const d = holder("d", { value: true }, log);
  // a2 is busy, c is idle: c goes.
  assert.equal(await slots.acquire(d, { wait: true }), true);
  assert.deepEqual(log, ["stop a", "stop c"]);
});

Deno.test("ProcessSlots: a waiting acquisition ends when its client leaves", async () => {
  const slots = new ProcessSlots(1);
  await slots.acquire(holder("a", { value: true }, []), { wait: true });
  const controller = new AbortController();
  const waiting = slots.acquire(holder("b", { value: true }, []), {
    wait: true,
    signal: controller.signal,
  });
  controller.abort();
  await assert.rejects(waiting, (e) => e instanceof TranscodeError && e.status === 499);
  // The queue is not stuck behind the aborted one.
  assert.equal(await slots.acquire(holder("a", { value: true }, []), { wait: true }), true);
});
