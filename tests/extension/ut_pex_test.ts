/**
 * BEP 11 peer exchange: exact bytes, both families with flags, tolerant and bounded decoding,
 * and PexState's diffs under the one-message-a-minute rule.
 */
import assert from "node:assert/strict";
import { ExtensionError } from "../../src/extension/extension_error.ts";
import {
  decodePexMessage,
  encodePexMessage,
  MAX_PEX_PEERS_DECODED,
  MAX_PEX_PEERS_PER_MESSAGE,
  NO_PEX_FLAGS,
  PEX_INTERVAL_MS,
  type PexFlags,
  type PexPeer,
  PexState,
} from "../../src/extension/ut_pex.ts";
import { concatBytes } from "../../src/util/bytes.ts";

const text = (s: string) => new TextEncoder().encode(s);
const v4 = (i: number, flags: Partial<PexFlags> = {}): PexPeer => ({
  host: `10.0.${i >> 8}.${i & 0xff}`,
  port: 6881,
  flags: { ...NO_PEX_FLAGS, ...flags },
});

Deno.test("exact bytes: compact entries, one flag byte per added peer", () => {
  const bytes = encodePexMessage({
    added: [{
      host: "10.0.0.2",
      port: 6881,
      flags: { ...NO_PEX_FLAGS, seed: true, outgoing: true },
    }],
    dropped: [{ host: "192.168.1.1", port: 80 }],
  });
  assert.deepEqual(
    bytes,
    concatBytes([
      text("d5:added6:"),
      new Uint8Array([10, 0, 0, 2, 0x1a, 0xe1]),
      text("7:added.f1:"),
      new Uint8Array([0x12]),
      text("7:dropped6:"),
      new Uint8Array([192, 168, 1, 1, 0, 80]),
      text("e"),
    ]),
  );
});

Deno.test("IPv4 and IPv6 with every flag round-trip", () => {
  const all: PexFlags = {
    prefersEncryption: true,
    seed: true,
    utp: true,
    holepunch: true,
    outgoing: true,
  };
  const message = {
    added: [
      { host: "203.0.113.5", port: 51413, flags: all },
      { host: "2001:db8::5", port: 6881, flags: { ...NO_PEX_FLAGS, utp: true } },
      { host: "198.51.100.1", port: 1, flags: NO_PEX_FLAGS },
    ],
    dropped: [{ host: "2001:db8::9", port: 7000 }, { host: "203.0.113.6", port: 2 }],
  };
  const decoded = decodePexMessage(encodePexMessage(message));
  // Decoding lists IPv4 before IPv6.
  assert.deepEqual(decoded, {
    added: [message.added[0], message.added[2], message.added[1]],
    dropped: [message.dropped[1], message.dropped[0]],
  });
  const raw = new TextDecoder("latin1").decode(encodePexMessage(message));
  for (const key of ["5:added", "7:added.f", "6:added6", "8:added6.f", "7:dropped", "8:dropped6"]) {
    assert.ok(raw.includes(key), key);
  }
});

Deno.test("decoding tolerates missing or short flags, bad types, partial entries, port 0, repeats", () => {
  const peer = (a: number, port: number) => [10, 0, 0, a, port >> 8, port & 0xff];
  const bytes = concatBytes([
    text("d5:added30:"),
    new Uint8Array([...peer(1, 1), ...peer(2, 0), ...peer(1, 1), ...peer(3, 3), ...peer(4, 4)]),
    text("7:added.f2:"),
    new Uint8Array([0xff, 0x01]), // unknown bits ignored; peers 3.. get no flags
    text("6:added6i5e"), // wrong type: ignored
    text("7:dropped8:"),
    new Uint8Array([...peer(9, 9), 1, 2]), // a trailing partial entry
    text("1:xd1:yleee"),
  ]);
  const { added, dropped } = decodePexMessage(bytes);
  assert.deepEqual(added.map((p) => `${p.host}:${p.port}`), [
    "10.0.0.1:1",
    "10.0.0.3:3",
    "10.0.0.4:4",
  ]);
  assert.deepEqual(added[0].flags, {
    prefersEncryption: true,
    seed: true,
    utp: true,
    holepunch: true,
    outgoing: true,
  });
  assert.deepEqual(added[1].flags, NO_PEX_FLAGS);
  assert.deepEqual(dropped, [{ host: "10.0.0.9", port: 9 }]);
  assert.deepEqual(decodePexMessage(text("de")), { added: [], dropped: [] });
});

Deno.test("decoding keeps at most MAX_PEX_PEERS_DECODED added peers", () => {
  const count = 1000;
  const entries = new Uint8Array(count * 6);
  for (let i = 0; i < count; i++) entries.set([10, 1, i >> 8, i & 0xff, 0, 1], i * 6);
  const v6 = new Uint8Array(18);
  v6.set([0x20, 0x01, 0x0d, 0xb8], 0);
  v6[17] = 1;
  const bytes = concatBytes([
    text(`d5:added${entries.length}:`),
    entries,
    text("6:added618:"),
    v6,
    text(`7:dropped${entries.length}:`),
    entries,
    text("e"),
  ]);
  const { added, dropped } = decodePexMessage(bytes);
  assert.equal(added.length, MAX_PEX_PEERS_DECODED);
  assert.equal(dropped.length, MAX_PEX_PEERS_DECODED);
  assert.ok(added.every((p) => p.host.startsWith("10.1.")), "no room left for the IPv6 peer");
});

Deno.test("decoding throws ExtensionError only for a payload that is not a dict", () => {
  for (const bad of ["", "le", "i0e", "d5:added", "\xff"]) {
    assert.throws(() => decodePexMessage(text(bad)), ExtensionError, JSON.stringify(bad));
  }
});

Deno.test("encoding refuses empty, oversized and non-IP messages", () => {
  const many = Array.from({ length: MAX_PEX_PEERS_PER_MESSAGE + 1 }, (_, i) => v4(i));
  const cases = [
    { added: [], dropped: [] },
    { added: many, dropped: [] },
    { added: [], dropped: many },
    { added: [{ host: "peer.example", port: 1, flags: NO_PEX_FLAGS }], dropped: [] },
    { added: [{ host: "10.0.0.1", port: 0, flags: NO_PEX_FLAGS }], dropped: [] },
    { added: [], dropped: [{ host: "10.0.0.1", port: 65536 }] },
  ];
  for (const message of cases) {
    assert.throws(() => encodePexMessage(message), ExtensionError);
  }
  assert.doesNotThrow(() => encodePexMessage({ added: many.slice(1), dropped: many.slice(1) }));
});

Deno.test("PexState: first message carries the current set, then diffs at most once a minute", () => {
  const clock = { t: 1_000_000 };
  const pex = new PexState({ now: () => clock.t });
  assert.equal(pex.next([]), undefined, "nothing to say: no empty message");
  const first = pex.next([v4(1), v4(2, { seed: true })]);
  assert.deepEqual(first, { added: [v4(1), v4(2, { seed: true })], dropped: [] });
  clock.t += PEX_INTERVAL_MS - 1;
  assert.equal(pex.next([v4(1), v4(3)]), undefined, "too soon");
  clock.t += 1;
  // 4 came and went between messages: never mentioned.
  assert.deepEqual(pex.next([v4(1), v4(3)]), {
    added: [v4(3)],
    dropped: [{ host: "10.0.0.2", port: 6881 }],
  });
  clock.t += PEX_INTERVAL_MS;
  assert.equal(pex.next([v4(3), v4(1)]), undefined, "no change: nothing sent");
  // An unchanged minute did not start a new wait: a change is sent at once.
  assert.deepEqual(pex.next([v4(3)]), { added: [], dropped: [{ host: "10.0.0.1", port: 6881 }] });
});

Deno.test("PexState: at most 50 added and 50 dropped per message, the rest later", () => {
  const clock = { t: 0 };
  const pex = new PexState({ now: () => clock.t });
  const peers = Array.from({ length: 120 }, (_, i) => v4(i));
  const sizes: [number, number][] = [];
  for (let minute = 0; minute < 4; minute++) {
    const m = pex.next(peers);
    sizes.push([m?.added.length ?? 0, m?.dropped.length ?? 0]);
    clock.t += PEX_INTERVAL_MS;
  }
  assert.deepEqual(sizes, [[50, 0], [50, 0], [20, 0], [0, 0]]);
  const gone = pex.next([]);
  assert.equal(gone?.dropped.length, 50);
  const seen = new Set(gone!.dropped.map((p) => p.host));
  assert.equal(seen.size, 50, "no duplicates");
});

Deno.test("PexState: addresses compare by value; host names are skipped", () => {
  const clock = { t: 0 };
  const pex = new PexState({ now: () => clock.t });
  const a = { host: "2001:db8::1", port: 1, flags: NO_PEX_FLAGS };
  const sameA = { host: "2001:0db8:0:0::1", port: 1, flags: NO_PEX_FLAGS };
  const named = { host: "peer.example", port: 1, flags: NO_PEX_FLAGS };
  assert.deepEqual(pex.next([a, sameA, named]), { added: [sameA], dropped: [] });
  clock.t += PEX_INTERVAL_MS;
  assert.equal(pex.next([a]), undefined);
  // Every message the state produces encodes.
  assert.doesNotThrow(() => encodePexMessage({ added: [a], dropped: [] }));
});
