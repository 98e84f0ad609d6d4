/**
 * BEP 9 ut_metadata messages: the BEP's example bytes, data messages with the raw piece after
 * the dict, the 16 MiB bound, strict piece lengths, and serving our own metadata.
 */
import assert from "node:assert/strict";
import { ExtensionError } from "../../src/extension/extension_error.ts";
import {
  decodeMetadataMessage,
  encodeMetadataMessage,
  MAX_METADATA_SIZE,
  METADATA_PIECE_SIZE,
  metadataPieceCount,
  metadataPieceLength,
  serveMetadata,
} from "../../src/extension/ut_metadata.ts";
import { concatBytes } from "../../src/util/bytes.ts";

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("BEP 9 examples: request and reject bytes", () => {
  assert.equal(
    str(encodeMetadataMessage({ type: "request", piece: 0 })),
    "d8:msg_typei0e5:piecei0ee",
  );
  // The BEP's reject example reads msg_type 1 in its encoded line; its dict says 2, as it must.
  assert.equal(
    str(encodeMetadataMessage({ type: "reject", piece: 0 })),
    "d8:msg_typei2e5:piecei0ee",
  );
  assert.deepEqual(decodeMetadataMessage(text("d8:msg_typei0e5:piecei0ee")), {
    type: "request",
    piece: 0,
  });
  assert.deepEqual(decodeMetadataMessage(text("d8:msg_typei2e5:piecei7ee")), {
    type: "reject",
    piece: 7,
  });
});

Deno.test("BEP 9 example: a data message is the dict followed by the raw piece", () => {
  // total_size 34256 (as in the example's encoded line): pieces of 16384, 16384 and 1488 bytes.
  const piece0 = new Uint8Array(METADATA_PIECE_SIZE).fill(0x78);
  const bytes = encodeMetadataMessage({ type: "data", piece: 0, totalSize: 34256, data: piece0 });
  const head = text("d8:msg_typei1e5:piecei0e10:total_sizei34256ee");
  assert.deepEqual(bytes, concatBytes([head, piece0]));
  assert.deepEqual(decodeMetadataMessage(bytes), {
    type: "data",
    piece: 0,
    totalSize: 34256,
    data: piece0,
  });
  const last = new Uint8Array(34256 - 2 * METADATA_PIECE_SIZE).fill(1);
  const lastMsg = { type: "data", piece: 2, totalSize: 34256, data: last } as const;
  assert.deepEqual(decodeMetadataMessage(encodeMetadataMessage(lastMsg)), lastMsg);
});

Deno.test("piece arithmetic", () => {
  assert.equal(metadataPieceCount(1), 1);
  assert.equal(metadataPieceCount(16384), 1);
  assert.equal(metadataPieceCount(16385), 2);
  assert.equal(metadataPieceLength(16385, 0), 16384);
  assert.equal(metadataPieceLength(16385, 1), 1);
  assert.equal(metadataPieceCount(MAX_METADATA_SIZE), 1024);
});

Deno.test("an unknown msg_type is ignored (undefined), as BEP 9 requires", () => {
  assert.equal(decodeMetadataMessage(text("d8:msg_typei3e5:piecei0ee")), undefined);
  assert.equal(decodeMetadataMessage(text("d8:msg_typei-1e5:piecei0ee")), undefined);
  // Extra keys and bytes after a request or reject do not matter.
  assert.deepEqual(decodeMetadataMessage(text("d1:xi1e8:msg_typei0e5:piecei1eeTAIL")), {
    type: "request",
    piece: 1,
  });
});

Deno.test("malformed messages throw ExtensionError", () => {
  const piece = "x".repeat(16384);
  const bad = [
    "",
    "le",
    "d8:msg_typei0ee", // no piece
    "d5:piecei0ee", // no msg_type
    "d8:msg_type1:05:piecei0ee",
    "d8:msg_typei0e5:piecei-1ee",
    "d8:msg_typei0e5:piece1:0e",
    "d8:msg_typei1e5:piecei0ee" + piece, // data without total_size
    "d8:msg_typei1e5:piecei0e10:total_size1:1e" + piece,
    "d8:msg_typei1e5:piecei0e10:total_sizei0ee",
    `d8:msg_typei1e5:piecei0e10:total_sizei${2 ** 30}ee` + piece, // 1 GiB
    `d8:msg_typei1e5:piecei0e10:total_sizei${MAX_METADATA_SIZE + 1}ee` + piece,
    "d8:msg_typei1e5:piecei2e10:total_sizei20000ee" + "x", // piece beyond the size
    "d8:msg_typei1e5:piecei0e10:total_sizei20000ee" + "x".repeat(16383), // short, not last
    "d8:msg_typei1e5:piecei1e10:total_sizei20000ee" + "x".repeat(3617), // last, one byte over
    "d8:msg_typei1e5:piecei0e10:total_sizei5ee", // no data at all
  ];
  for (const input of bad) {
    assert.throws(() => decodeMetadataMessage(text(input)), ExtensionError, input.slice(0, 60));
  }
});

Deno.test("encoding refuses inconsistent data messages", () => {
  const cases = [
    { type: "request", piece: -1 },
    { type: "reject", piece: 0.5 },
    { type: "data", piece: 0, totalSize: 100, data: new Uint8Array(99) },
    { type: "data", piece: 1, totalSize: 100, data: new Uint8Array(0) },
    { type: "data", piece: 0, totalSize: MAX_METADATA_SIZE + 1, data: new Uint8Array(16384) },
  ] as const;
  for (const message of cases) {
    assert.throws(() => encodeMetadataMessage(message), ExtensionError, JSON.stringify(message));
  }
});

Deno.test("serveMetadata answers pieces of our metadata and rejects the rest", () => {
  const info = Uint8Array.from({ length: 40_000 }, (_, i) => i % 251);
  const pieces = [0, 1, 2].map((p) => serveMetadata(info, p));
  assert.deepEqual(
    pieces.map((m) => m.type === "data" ? m.data.length : -1),
    [16384, 16384, 40_000 - 32768],
  );
  const joined = concatBytes(pieces.map((m) => (m as { data: Uint8Array }).data));
  assert.deepEqual(joined, info);
  for (const m of pieces) assert.deepEqual(decodeMetadataMessage(encodeMetadataMessage(m)), m);
  assert.deepEqual(serveMetadata(info, 3), { type: "reject", piece: 3 });
  assert.deepEqual(serveMetadata(undefined, 0), { type: "reject", piece: 0 });
});
