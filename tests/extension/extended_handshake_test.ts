/**
 * The BEP 10 extended handshake: exact bytes of the BEP examples, round trips of every field,
 * tolerance of unknown and wrong-typed keys, and the additive `m` of a re-sent handshake.
 */
import assert from "node:assert/strict";
import {
  decodeExtendedHandshake,
  encodeExtendedHandshake,
  type ExtendedHandshake,
  mergeExtendedHandshake,
  peerExtensionId,
} from "../../src/extension/extended_handshake.ts";
import { ExtensionError } from "../../src/extension/extension_error.ts";
import {
  EXTENDED_HANDSHAKE_ID,
  LOCAL_EXTENSION_IDS,
  localExtensionOf,
} from "../../src/extension/extension_ids.ts";
import { concatBytes } from "../../src/util/bytes.ts";

const text = (s: string) => new TextEncoder().encode(s);
/** Bytes from a string whose characters are all < 256 (one byte each). */
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

Deno.test("BEP 10 example: encodes to the example's bytes and decodes back", () => {
  // The BEP's table names the second extension ut_pex; its encoded line says "6:µT_PEX",
  // which cannot be right (µ is two bytes in UTF-8), so the table's name is used.
  const expected = latin1("d1:md11:LT_metadatai1e6:ut_pexi2ee1:pi6881e1:v13:\xc2\xb5Torrent 1.2e");
  const h: ExtendedHandshake = { m: { LT_metadata: 1, ut_pex: 2 }, p: 6881, v: "µTorrent 1.2" };
  assert.deepEqual(encodeExtendedHandshake(h), expected);
  assert.deepEqual(decodeExtendedHandshake(expected), h);
});

Deno.test("BEP 9 example handshake: ut_metadata id and metadata_size", () => {
  const bytes = text("d1:md11:ut_metadatai3ee13:metadata_sizei31235ee");
  const h = decodeExtendedHandshake(bytes);
  assert.deepEqual(h, { m: { ut_metadata: 3 }, metadataSize: 31235 });
  assert.deepEqual(encodeExtendedHandshake(h), bytes);
  assert.equal(peerExtensionId(h, "ut_metadata"), 3);
  assert.equal(peerExtensionId(h, "ut_pex"), undefined);
});

Deno.test("every field round-trips, IPv4 and IPv6 addresses included", () => {
  const full: ExtendedHandshake = {
    m: { ut_metadata: 1, ut_pex: 2, lt_donthave: 7 },
    v: "bittorrent-ts 0.1",
    p: 51413,
    reqq: 500,
    metadataSize: 123_456,
    yourIp: "2001:db8::7",
    ipv4: "203.0.113.9",
    ipv6: "2001:db8::1",
    prefersEncryption: true,
    uploadOnly: false,
  };
  const bytes = encodeExtendedHandshake(full);
  assert.deepEqual(decodeExtendedHandshake(bytes), full);
  const v4 = decodeExtendedHandshake(encodeExtendedHandshake({ m: {}, yourIp: "198.51.100.4" }));
  assert.deepEqual(v4, { m: {}, yourIp: "198.51.100.4" });
  // Compact form on the wire: 4 raw bytes, not text.
  assert.deepEqual(
    encodeExtendedHandshake({ m: {}, ipv4: "1.2.3.4" }),
    concatBytes([text("d4:ipv44:"), new Uint8Array([1, 2, 3, 4]), text("1:mdee")]),
  );
});

Deno.test("our handshake: local ids, a dispatch table for incoming ids", () => {
  const bytes = encodeExtendedHandshake({ m: LOCAL_EXTENSION_IDS, v: "bt", reqq: 250 });
  assert.equal(
    new TextDecoder().decode(bytes),
    "d1:md11:ut_metadatai1e6:ut_pexi2ee4:reqqi250e1:v2:bte",
  );
  assert.equal(EXTENDED_HANDSHAKE_ID, 0);
  assert.equal(localExtensionOf(LOCAL_EXTENSION_IDS.ut_metadata), "ut_metadata");
  assert.equal(localExtensionOf(LOCAL_EXTENSION_IDS.ut_pex), "ut_pex");
  assert.equal(localExtensionOf(0), undefined);
  assert.equal(localExtensionOf(200), undefined);
});

Deno.test("unknown keys and wrong-typed known keys are ignored, not fatal", () => {
  const bytes = text(
    "d" +
      "1:ei7e" + // any non-zero integer: true
      "1:md3:badli1ee4:big_i256e4:fine5:abcde3:negi-1e4:zeroi0e11:ut_metadatai2ee" +
      "13:metadata_size2:xx" +
      "1:pi70000e" +
      "4:reqqi0e" +
      "11:upload_only3:yes" +
      "1:vi1e" +
      "6:yourip5:12345" +
      "4:ipv416:0123456789abcdef" +
      "12:zz_somethingd1:ali1ei2eee" +
      "e",
  );
  assert.deepEqual(decodeExtendedHandshake(bytes), {
    m: { zero: 0, ut_metadata: 2 },
    prefersEncryption: true,
  });
  // `m` of the wrong type is an empty map; bytes after the dict are ignored.
  assert.deepEqual(decodeExtendedHandshake(text("d1:mli1ee1:pi1eeGARBAGE")), { m: {}, p: 1 });
  assert.deepEqual(decodeExtendedHandshake(text("de")), { m: {} });
});

Deno.test("client name: lossy UTF-8, control characters removed, length bounded", () => {
  const h = decodeExtendedHandshake(
    concatBytes([text("d1:v8:a\x1b[2Jb\n"), new Uint8Array([0xff]), text("e")]),
  );
  assert.equal(h.v, "a [2Jb \uFFFD");
  const long = decodeExtendedHandshake(text(`d1:v1000:${"x".repeat(1000)}e`));
  assert.equal(long.v!.length, 256);
});

Deno.test("only a payload that is not a bencoded dict throws ExtensionError", () => {
  for (const bad of ["", "le", "i1e", "4:spam", "d1:m", "d1:mi1e1:mi2ee", "\x00\x01", "x"]) {
    assert.throws(() => decodeExtendedHandshake(latin1(bad)), ExtensionError, JSON.stringify(bad));
  }
});

Deno.test("peerExtensionId: 0 and inherited names are not extensions", () => {
  const h = decodeExtendedHandshake(text("d1:md6:ut_pexi0e11:ut_metadatai9eee"));
  assert.equal(peerExtensionId(h, "ut_pex"), undefined);
  assert.equal(peerExtensionId(h, "ut_metadata"), 9);
  assert.equal(peerExtensionId(h, "constructor"), undefined);
  assert.equal(peerExtensionId(h, "toString"), undefined);
});

Deno.test("a re-sent handshake updates m additively and replaces the fields it has", () => {
  const first = decodeExtendedHandshake(
    text("d1:md11:LT_metadatai1e6:ut_pexi2ee1:pi6881e1:v4:old1e"),
  );
  // BEP 10's example of disabling one extension at run time.
  const update = decodeExtendedHandshake(text("d1:md11:LT_metadatai0e3:newi5ee1:v4:new2e"));
  assert.deepEqual(mergeExtendedHandshake(first, update), {
    m: { ut_pex: 2, new: 5 },
    p: 6881,
    v: "new2",
  });
});

Deno.test("encoding refuses values the wire cannot carry", () => {
  const cases: ExtendedHandshake[] = [
    { m: { ut_metadata: 256 } },
    { m: { ut_metadata: -1 } },
    { m: { ut_metadata: 1.5 } },
    { m: {}, p: 0 },
    { m: {}, p: 65536 },
    { m: {}, reqq: 0 },
    { m: {}, metadataSize: 0 },
    { m: {}, yourIp: "example.org" },
    { m: {}, ipv4: "::1" },
    { m: {}, ipv6: "10.0.0.1" },
    { m: {}, v: "\uD800" },
  ];
  for (const h of cases) {
    assert.throws(() => encodeExtendedHandshake(h), ExtensionError, JSON.stringify(h));
  }
});
