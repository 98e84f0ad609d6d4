import assert from "node:assert/strict";
import {
  type ChokerPeer,
  type ChokerState,
  chooseUnchoked,
  OPTIMISTIC_INTERVAL_MS,
} from "../../src/torrent/choker.ts";

function peer(key: number, downRate: number, extra: Partial<ChokerPeer> = {}): ChokerPeer {
  return { key, peerInterested: true, downRate, upRate: 0, snubbed: false, ...extra };
}

Deno.test("the fastest uploaders to us get the regular slots, plus one optimistic", () => {
  const peers = [
    peer(1, 10),
    peer(2, 500),
    peer(3, 300),
    peer(4, 0),
    peer(5, 0),
    peer(6, 0, { peerInterested: false }),
  ];
  const state: ChokerState = { optimistic: undefined, optimisticSince: 0 };
  const chosen = chooseUnchoked(
    peers,
    { slots: 3, seeding: false, now: 0, random: () => 0 },
    state,
  );
  assert.equal(chosen.size, 3);
  assert.ok(chosen.has(2) && chosen.has(3));
  assert.equal(state.optimistic !== undefined && [1, 4, 5].includes(state.optimistic), true);
  assert.ok(!chosen.has(6), "never unchoke a peer that does not want anything");
});

Deno.test("the optimistic slot stays for 30 s, then rotates", () => {
  const peers = [peer(1, 100), peer(2, 0), peer(3, 0)];
  const state: ChokerState = { optimistic: undefined, optimisticSince: 0 };
  const opts = { slots: 2, seeding: false, random: () => 0 };
  chooseUnchoked(peers, { ...opts, now: 0 }, state);
  const first = state.optimistic;
  chooseUnchoked(peers, { ...opts, now: OPTIMISTIC_INTERVAL_MS - 1 }, state);
  assert.equal(state.optimistic, first);
  chooseUnchoked(peers, { ...opts, now: OPTIMISTIC_INTERVAL_MS }, state);
  assert.notEqual(state.optimistic, first);
});

Deno.test("seeding ranks by upload rate; snubbed peers lose regular slots only while leeching", () => {
  const peers = [
    peer(1, 999, { upRate: 1, snubbed: true }),
    peer(2, 0, { upRate: 50 }),
    peer(3, 0, { upRate: 20 }),
  ];
  const leech = chooseUnchoked(peers, { slots: 2, seeding: false, now: 0, random: () => 0.99 }, {
    optimistic: undefined,
    optimisticSince: 0,
  });
  assert.ok(leech.has(2), "best non-snubbed peer gets the regular slot");
  const seed = chooseUnchoked(peers, { slots: 2, seeding: true, now: 0, random: () => 0 }, {
    optimistic: undefined,
    optimisticSince: 0,
  });
  assert.ok(seed.has(2));
});

Deno.test("few interested peers: all are unchoked", () => {
  const chosen = chooseUnchoked([peer(1, 0), peer(2, 0)], { slots: 4, seeding: true, now: 0 }, {
    optimistic: undefined,
    optimisticSince: 0,
  });
  assert.deepEqual([...chosen].sort(), [1, 2]);
});
