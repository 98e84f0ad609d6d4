import assert from "node:assert/strict";
import { MagnetError, parseMagnet, toMagnet } from "../../src/metainfo/magnet.ts";
import { libtorrentMagnet } from "./inspect_torrent.ts";

const HEX = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
/** The same hash in base32 (RFC 4648). */
const B32 = "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK";

Deno.test("parseMagnet reads every supported parameter", () => {
  const m = parseMagnet(
    `magnet:?xt=urn:btih:${HEX.toUpperCase()}&dn=Some+Name%20%C3%A9&xl=1234` +
      "&tr=http%3A%2F%2Fa%2Fannounce%3Fk%3D1%26x&tr.1=udp://b:80&tr=udp://b:80" +
      "&x.pe=10.0.0.1:6881&x.pe=[2001:db8::1]:51413&x.pe=peer.example:1&so=0,2-4,3&kt=ignored",
  );
  assert.equal(m.infoHashHex, HEX);
  assert.equal(m.infoHash.length, 20);
  assert.equal(m.displayName, "Some Name é");
  assert.equal(m.exactLength, 1234);
  assert.deepEqual(m.trackers, ["http://a/announce?k=1&x", "udp://b:80"]);
  assert.deepEqual(m.peers, [
    { host: "10.0.0.1", port: 6881 },
    { host: "2001:db8::1", port: 51413 },
    { host: "peer.example", port: 1 },
  ]);
  assert.deepEqual(m.selectOnly, [0, 2, 3, 4]);
});

Deno.test("parseMagnet decodes base32 info-hashes and leaves absent fields undefined", () => {
  const m = parseMagnet(`  magnet:?xt=urn:btih:${B32.toLowerCase()}  `);
  assert.equal(m.infoHashHex, HEX);
  assert.equal(m.displayName, undefined);
  assert.equal(m.exactLength, undefined);
  assert.equal(m.selectOnly, undefined);
  assert.deepEqual(m.trackers, []);
  assert.deepEqual(m.peers, []);
  const hybrid = parseMagnet(`magnet:?xt=urn:btmh:1220${"ab".repeat(32)}&xt=urn:btih:${HEX}`);
  assert.equal(hybrid.infoHashHex, HEX);
});

const bad: [string, RegExp][] = [
  ["http://example.com/?xt=urn:btih:" + HEX, /not a magnet link/],
  ["magnet:?dn=x", /no xt=urn:btih/],
  [`magnet:?xt=urn:btmh:1220${"ab".repeat(32)}`, /v2-only/],
  ["magnet:?xt=urn:btih:abc", /bad info-hash/],
  [`magnet:?xt=urn:btih:${HEX}0`, /bad info-hash/],
  [`magnet:?xt=urn:btih:${B32.slice(0, 31)}1`, /bad info-hash/],
  [`magnet:?xt=urn:btih:${HEX}&xt=urn:btih:${"0".repeat(40)}`, /two different/],
  [`magnet:?xt=urn:btih:${HEX}&dn=%zz`, /percent-encoding in dn/],
  [`magnet:?xt=urn:btih:${HEX}&tr=%ff`, /percent-encoding in tr/],
  [`magnet:?xt=urn:btih:${HEX}&x.pe=10.0.0.1`, /x\.pe/],
  [`magnet:?xt=urn:btih:${HEX}&x.pe=10.0.0.1:0`, /x\.pe/],
  [`magnet:?xt=urn:btih:${HEX}&x.pe=10.0.0.1:70000`, /x\.pe/],
  [`magnet:?xt=urn:btih:${HEX}&x.pe=[::1`, /x\.pe/],
  [`magnet:?xt=urn:btih:${HEX}&x.pe=::1:80`, /x\.pe/],
  [`magnet:?xt=urn:btih:${HEX}&x.pe=user@host:80`, /x\.pe/],
  [`magnet:?xt=urn:btih:${HEX}&xl=-1`, /xl/],
  [`magnet:?xt=urn:btih:${HEX}&xl=1.5`, /xl/],
  [`magnet:?xt=urn:btih:${HEX}&xl=99999999999999999`, /xl/],
  [`magnet:?xt=urn:btih:${HEX}&so=3-1`, /so/],
  [`magnet:?xt=urn:btih:${HEX}&so=a`, /so/],
  [`magnet:?xt=urn:btih:${HEX}&so=1,,2`, /so/],
  [`magnet:?xt=urn:btih:${HEX}&so=0-999999999`, /too many/],
];

for (const [uri, message] of bad) {
  Deno.test(`parseMagnet refuses ${uri.slice(0, 70)}`, () => {
    assert.throws(() => parseMagnet(uri), (e: unknown) => {
      assert.ok(e instanceof MagnetError, String(e));
      assert.match(e.message, message);
      assert.doesNotMatch(e.message, /[\r\n]/);
      return true;
    });
  });
}

const METAINFO = {
  infoHashHex: HEX,
  name: "a name & more/é?",
  totalLength: 123456789,
  announceTiers: [["http://t/announce?passkey=a&b=c d"], ["udp://u:1337", "wss://w/ann#frag"]],
};

Deno.test("toMagnet writes every tracker of every tier, encoded, and parses back", () => {
  const uri = toMagnet(METAINFO);
  assert.match(
    uri,
    /^magnet:\?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=a%20name%20%26/,
  );
  const back = parseMagnet(uri);
  assert.equal(back.infoHashHex, HEX);
  assert.equal(back.displayName, METAINFO.name);
  assert.equal(back.exactLength, METAINFO.totalLength);
  assert.deepEqual(back.trackers, METAINFO.announceTiers.flat());
});

Deno.test("libtorrent reads our toMagnet output the same way", async () => {
  const lt = await libtorrentMagnet(toMagnet(METAINFO));
  assert.equal(lt.infoHash, HEX);
  assert.equal(lt.name, METAINFO.name);
  assert.deepEqual(lt.trackers, METAINFO.announceTiers.flat());
});

Deno.test("parseMagnet agrees with libtorrent on hash, name, trackers and peers", async () => {
  const uris = [
    `magnet:?xt=urn:btih:${HEX}`,
    `magnet:?xt=urn:btih:${B32}&dn=x+y%2Bz&tr=udp%3A%2F%2Fa%3A1&tr=http://b/ann?x=1`,
    `magnet:?dn=caf%C3%A9&xt=urn:btih:${HEX}&x.pe=1.2.3.4:5&x.pe=[::1]:6&tr=udp://c:2`,
  ];
  for (const uri of uris) {
    const [ours, theirs] = [parseMagnet(uri), await libtorrentMagnet(uri)];
    assert.equal(ours.infoHashHex, theirs.infoHash, uri);
    assert.equal(ours.displayName ?? "", theirs.name, uri);
    assert.deepEqual(ours.trackers, theirs.trackers, uri);
    assert.deepEqual(ours.peers.map((p) => `${p.host}:${p.port}`), theirs.peers, uri);
  }
});

Deno.test("fuzz: parseMagnet returns a link or throws MagnetError", () => {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const base = `magnet:?xt=urn:btih:${HEX}&dn=a%20b&tr=udp://x:1&x.pe=[::1]:6&xl=5&so=1-3`;
  const alphabet = "%&=:[]-,.+0123456789abcdefxtrpeso\u00e9\ud800";
  let ok = 0;
  for (let i = 0; i < 20_000; i++) {
    const chars = [...base];
    for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) {
      const at = Math.floor(rand() * chars.length);
      const c = alphabet[Math.floor(rand() * alphabet.length)];
      if (rand() < 0.5) chars[at] = c;
      else chars.splice(at, Math.floor(rand() * 3), c);
    }
    try {
      const m = parseMagnet(chars.join(""));
      assert.equal(m.infoHash.length, 20);
      ok++;
    } catch (e) {
      if (!(e instanceof MagnetError)) throw new Error(`${JSON.stringify(chars.join(""))}: ${e}`);
    }
  }
  assert.ok(ok > 1000, `only ${ok} parsed`);
});
