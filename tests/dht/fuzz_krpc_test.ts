/**
 * Fuzzes the KRPC decoder with mutated valid packets, bencode token soup and random bytes (fixed
 * seed, bounded iterations): each input decodes to a message that encodes again, or throws
 * DhtError — never anything else. Then a live node is sent the same kind of garbage over UDP and
 * must still answer a ping.
 */
import assert from "node:assert/strict";
import dgram from "node:dgram";
import { DhtError } from "../../src/dht/dht_error.ts";
import { DhtNode } from "../../src/dht/dht_node.ts";
import { decodeKrpc, encodeKrpc, type KrpcMessage } from "../../src/dht/krpc.ts";
import { randomNodeId } from "../../src/dht/node_id.ts";
import { waitFor } from "../support/process.ts";
import { mutate, type Random, seededRandom } from "../support/fuzz.ts";

const CORPUS = new URL("../data/dht/", import.meta.url);

async function corpus(): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const entry of Deno.readDir(CORPUS)) {
    if (entry.name.endsWith(".bin")) out.push(await Deno.readFile(new URL(entry.name, CORPUS)));
  }
  assert.ok(out.length >= 4, "the KRPC corpus in tests/data/dht is missing");
  return out;
}

function seeds(): Uint8Array[] {
  const id = randomNodeId();
  const other = randomNodeId();
  const t = new Uint8Array([1, 2]);
  const messages: KrpcMessage[] = [
    { kind: "query", t, query: { method: "ping", id } },
    { kind: "query", t, query: { method: "find_node", id, target: other } },
    { kind: "query", t, query: { method: "get_peers", id, infoHash: other } },
    {
      kind: "query",
      t,
      query: {
        method: "announce_peer",
        id,
        infoHash: other,
        port: 6881,
        token: new Uint8Array(8),
        impliedPort: false,
      },
    },
    {
      kind: "response",
      t,
      response: {
        id,
        token: new Uint8Array([9, 9, 9, 9]),
        nodes: [{ id: other, host: "127.0.0.1", port: 6881 }],
        values: [{ host: "10.1.2.3", port: 51413 }, { host: "10.1.2.4", port: 1 }],
      },
    },
    { kind: "error", t, code: 203, message: "bad token" },
  ];
  return messages.map(encodeKrpc);
}

function soup(random: Random): Uint8Array {
  const tokens = [
    "d",
    "l",
    "e",
    "i",
    "1:",
    "2:",
    "20:",
    "1:t",
    "1:y",
    "1:q",
    "1:r",
    "1:a",
    "2:id",
    "5:nodes",
    "6:values",
    "5:token",
    "9:info_hash",
    "i6881e",
    "i-1e",
    "0:",
    "1:e",
  ];
  let text = "";
  for (let n = random.int(30); n > 0; n--) text += tokens[random.int(tokens.length)];
  return new TextEncoder().encode(text);
}

/** The decoder's whole contract: a message that encodes again, or a DhtError. */
function check(input: Uint8Array): "ok" | "rejected" {
  let message: KrpcMessage;
  try {
    message = decodeKrpc(input);
  } catch (error) {
    if (error instanceof DhtError) return "rejected";
    throw new Error(
      `decodeKrpc threw ${error} for ${JSON.stringify(new TextDecoder().decode(input))}`,
    );
  }
  if (!(message.kind === "query" && message.query.method === "unknown")) encodeKrpc(message);
  return "ok";
}

Deno.test("KRPC decoder: mutated, soup and random inputs decode or throw DhtError", async () => {
  const random = seededRandom(0xd47);
  const inputs = [...seeds(), ...await corpus()];
  const counts = { ok: 0, rejected: 0 };
  for (const input of inputs) counts[check(input)]++;
  for (let i = 0; i < 20_000; i++) {
    counts[check(mutate(random, inputs[random.int(inputs.length)]))]++;
  }
  for (let i = 0; i < 5_000; i++) counts[check(soup(random))]++;
  for (let i = 0; i < 2_000; i++) counts[check(random.bytes(random.int(200)))]++;
  // Mutations keep enough packets valid that the accepting path is fuzzed too.
  assert.ok(counts.ok > 500, `only ${counts.ok} inputs decoded`);
  assert.ok(counts.rejected > 10_000, `only ${counts.rejected} inputs rejected`);
});

Deno.test("KRPC corpus packets are rejected", async () => {
  for (const packet of await corpus()) assert.equal(check(packet), "rejected");
});

Deno.test("a node hit by garbage packets answers every valid query and drops the rest", async () => {
  const node = await DhtNode.start({ port: 0, host: "127.0.0.1", bootstrap: [] });
  const socket = dgram.createSocket("udp4");
  try {
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
    // The node also pings us to verify us; only its replies count here.
    let replies = 0;
    socket.on("message", (packet: Uint8Array) => {
      try {
        if (decodeKrpc(packet).kind !== "query") replies++;
      } catch { /* not a reply */ }
    });
    const random = seededRandom(0xbad);
    const inputs = [...seeds(), ...await corpus()];
    const garbage = [...inputs, new Uint8Array(9000)];
    for (let i = 0; i < 1_000; i++) garbage.push(mutate(random, inputs[random.int(inputs.length)]));
    let queries = 0;
    let sent = 0;
    for (const packet of garbage) {
      let query = false;
      try {
        query = decodeKrpc(packet).kind === "query";
      } catch { /* garbage the node must drop */ }
      if (packet.length === 0) continue; // an empty datagram is never delivered
      if (!query) {
        socket.send(packet, node.port, "127.0.0.1");
        sent++;
        // Paced, so a loaded machine rarely drops a burst (a lost piece of garbage is harmless).
        if (sent % 25 === 0) await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      // A valid query must be answered, amid all the garbage: ask until it is (UDP may drop a
      // datagram on a busy machine; three tries). A handler that threw would never answer
      // (Deno's node:dgram swallows the exception), so this fails then.
      queries++;
      const before = replies;
      for (let attempt = 0; attempt < 3 && replies === before; attempt++) {
        socket.send(packet, node.port, "127.0.0.1");
        sent++;
        await waitFor(() => replies > before, { timeoutMs: 1000, what: "a reply" }).catch(() => {});
      }
      assert.ok(replies > before, `query ${queries} got no reply in three tries`);
    }
    const stats = node.stats();
    assert.ok(stats.packetsReceived <= sent && stats.packetsReceived >= queries);
    assert.ok(stats.packetsDropped > 0 && stats.packetsDropped <= sent - queries);
    assert.ok(queries > 20, `only ${queries} of the mutated packets were valid queries`);
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
    await node.close();
  }
});
