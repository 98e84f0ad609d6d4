/**
 * KRPC codec: the BEP 5 example packets decode as the spec says, every message kind round-trips,
 * and packets missing what their kind needs are a DhtError.
 */
import assert from "node:assert/strict";
import { DhtError } from "../../src/dht/dht_error.ts";
import {
  decodeCompactNodes,
  decodeKrpc,
  encodeCompactNodes,
  encodeKrpc,
  type KrpcMessage,
  MAX_KRPC_PACKET,
} from "../../src/dht/krpc.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const ID = enc("abcdefghij0123456789");
const OTHER = enc("mnopqrstuvwxyz123456");
const T = enc("aa");

Deno.test("BEP 5 example queries decode", () => {
  assert.deepEqual(decodeKrpc(enc("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe")), {
    kind: "query",
    t: T,
    query: { method: "ping", id: ID },
    readOnly: false,
  });
  assert.deepEqual(
    decodeKrpc(enc(
      "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe",
    )),
    { kind: "query", t: T, query: { method: "find_node", id: ID, target: OTHER }, readOnly: false },
  );
  assert.deepEqual(
    decodeKrpc(enc(
      "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz123456e1:q9:get_peers1:t2:aa1:y1:qe",
    )),
    {
      kind: "query",
      t: T,
      query: { method: "get_peers", id: ID, infoHash: OTHER },
      readOnly: false,
    },
  );
  assert.deepEqual(
    decodeKrpc(enc(
      "d1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe",
    )),
    {
      kind: "query",
      t: T,
      query: {
        method: "announce_peer",
        id: ID,
        infoHash: OTHER,
        port: 6881,
        token: enc("aoeusnth"),
        impliedPort: true,
      },
      readOnly: false,
    },
  );
});

Deno.test("BEP 5 example responses and errors decode", () => {
  const values = decodeKrpc(enc(
    "d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u6:idhtnmee1:t2:aa1:y1:re",
  ));
  assert.deepEqual(values, {
    kind: "response",
    t: T,
    response: {
      id: ID,
      nodes: undefined,
      token: enc("aoeusnth"),
      values: [{ host: "97.120.106.101", port: 11893 }, { host: "105.100.104.116", port: 28269 }],
    },
  });
  assert.deepEqual(decodeKrpc(enc("d1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee")), {
    kind: "error",
    t: T,
    code: 201,
    message: "A Generic Error Ocurred",
  });
});

Deno.test("every message kind round-trips", () => {
  const node = { id: OTHER, host: "192.0.2.7", port: 51413 };
  const messages: KrpcMessage[] = [
    { kind: "query", t: T, query: { method: "ping", id: ID }, readOnly: false },
    { kind: "query", t: T, query: { method: "find_node", id: ID, target: OTHER }, readOnly: true },
    {
      kind: "query",
      t: T,
      query: { method: "get_peers", id: ID, infoHash: OTHER },
      readOnly: false,
    },
    {
      kind: "query",
      t: T,
      query: {
        method: "announce_peer",
        id: ID,
        infoHash: OTHER,
        port: 6881,
        token: enc("tok"),
        impliedPort: false,
      },
      readOnly: false,
    },
    {
      kind: "response",
      t: T,
      response: {
        id: ID,
        nodes: [node],
        values: [{ host: "10.0.0.1", port: 1 }],
        token: enc("tok"),
      },
    },
    {
      kind: "response",
      t: T,
      response: { id: ID, nodes: undefined, values: undefined, token: undefined },
    },
    { kind: "error", t: T, code: 204, message: "Method Unknown" },
  ];
  for (const message of messages) {
    const packet = encodeKrpc(message);
    assert.ok(packet.length < 200, `${message.kind} packet is ${packet.length} bytes`);
    assert.deepEqual(decodeKrpc(packet), message);
  }
});

Deno.test("compact nodes: 26 bytes each, partial entries and port 0 skipped", () => {
  const nodes = [
    { id: ID, host: "127.0.0.1", port: 6881 },
    { id: OTHER, host: "255.255.255.255", port: 65535 },
  ];
  const bytes = encodeCompactNodes(nodes);
  assert.equal(bytes.length, 52);
  assert.deepEqual(decodeCompactNodes(bytes), nodes);
  assert.deepEqual(decodeCompactNodes(bytes.subarray(0, 51)), nodes.slice(0, 1));
  const zeroPort = bytes.slice();
  zeroPort[24] = 0;
  zeroPort[25] = 0;
  assert.deepEqual(decodeCompactNodes(zeroPort), nodes.slice(1));
  assert.throws(() => encodeCompactNodes([{ id: ID, host: "::1", port: 1 }]), DhtError);
  assert.throws(
    () => encodeCompactNodes([{ id: ID.subarray(1), host: "1.2.3.4", port: 1 }]),
    DhtError,
  );
});

Deno.test("unknown keys are ignored, unknown methods decode as unknown", () => {
  const message = decodeKrpc(enc(
    "d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q6:vote!!1:t4:xxxx1:v4:LT\x01\x021:y1:qe",
  ));
  assert.equal(message.kind, "query");
  assert.deepEqual(message.kind === "query" && message.query, {
    method: "unknown",
    id: ID,
    name: "vote!!",
  });
});

Deno.test("malformed packets are DhtErrors", () => {
  const bad = [
    "",
    "le",
    "d1:t2:aa1:y1:qe", // no q, no a
    "d1:ad2:id19:abcdefghij012345678e1:q4:ping1:t2:aa1:y1:qe", // 19-byte id
    "d1:ad2:idi5ee1:q4:ping1:t2:aa1:y1:qe", // integer id
    "d1:ad2:id20:abcdefghij01234567899:info_hashi5ee1:q9:get_peers1:t2:aa1:y1:qe", // int info_hash
    "d1:ad2:id20:abcdefghij01234567896:targeti5ee1:q9:find_node1:t2:aa1:y1:qe", // int target
    "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:tokeni5ee1:q13:announce_peer1:t2:aa1:y1:qe", // int token
    "d1:ad2:id20:abcdefghij01234567899:info_hash20:mnopqrstuvwxyz1234564:porti0e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe", // port 0
    "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:y1:qe", // no t
    "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t0:1:y1:qe", // empty t
    "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:xe", // y = x
    "d1:rd2:id20:abcdefghij01234567895:nodesi1ee1:t2:aa1:y1:re", // int nodes
    "d1:rd2:id20:abcdefghij01234567896:valuesli1eee1:t2:aa1:y1:re", // int in values
    "d1:e3:abc1:t2:aa1:y1:ee", // e not a list
    "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe trailing",
  ];
  for (const packet of bad) {
    assert.throws(() => decodeKrpc(enc(packet)), DhtError, packet);
  }
  assert.throws(() => decodeKrpc(new Uint8Array(MAX_KRPC_PACKET + 1)), DhtError);
});

Deno.test("encoding refuses what no KRPC message can hold", () => {
  assert.throws(
    () => encodeKrpc({ kind: "query", t: T, query: { method: "ping", id: ID.subarray(2) } }),
    DhtError,
  );
  assert.throws(() =>
    encodeKrpc({
      kind: "query",
      t: T,
      query: {
        method: "announce_peer",
        id: ID,
        infoHash: OTHER,
        port: 70000,
        token: T,
        impliedPort: false,
      },
    }), DhtError);
  assert.throws(
    () => encodeKrpc({ kind: "query", t: T, query: { method: "unknown", id: ID, name: "x" } }),
    DhtError,
  );
});
