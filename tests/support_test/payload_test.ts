import assert from "node:assert/strict";
import bencode from "bencode";
import {
  infoHashOf,
  makePayload,
  makeTorrent,
  multiFileSpec,
  sameTree,
  treeDifferences,
} from "../support/payload.ts";

/** Asserts `fn` rejects with a message containing `text`. */
async function rejectsWith(fn: () => Promise<unknown>, text: string) {
  await assert.rejects(fn, (e: Error) => e.message.includes(text) || assert.fail(e.message));
}

async function withTempDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("makePayload writes the same bytes for the same seed and others for another", () =>
  withTempDir(async (dir) => {
    const a = await makePayload(`${dir}/a`, { name: "f.bin", size: 100_003, seed: 7 });
    const b = await makePayload(`${dir}/b`, { name: "f.bin", size: 100_003, seed: 7 });
    const c = await makePayload(`${dir}/c`, { name: "f.bin", size: 100_003, seed: 8 });
    const bytesA = await Deno.readFile(a.root);
    assert.deepEqual(bytesA.length, 100_003);
    assert.deepEqual(bytesA, await Deno.readFile(b.root));
    assert.notDeepEqual(bytesA, await Deno.readFile(c.root));
    // Random, not a constant fill: many distinct byte values.
    assert(new Set(bytesA.subarray(0, 4096)).size > 200);
  }));

Deno.test("makePayload lays out a nested multi-file tree with an empty file", () =>
  withTempDir(async (dir) => {
    const p = await makePayload(dir, multiFileSpec("album"));
    assert.deepEqual(p.root, `${dir}/album`);
    for (const file of p.files) {
      assert.deepEqual((await Deno.stat(`${p.root}/${file.path}`)).size, file.size);
    }
    assert(p.files.some((f) => f.size === 0));
    assert.deepEqual(p.totalSize, p.files.reduce((sum, f) => sum + f.size, 0));
  }));

Deno.test("makeTorrent writes mktorrent metainfo with trackers, piece length and files", () =>
  withTempDir(async (dir) => {
    const p = await makePayload(`${dir}/data`, multiFileSpec("album"));
    const t = await makeTorrent(p.root, {
      pieceLength: 1 << 15,
      out: `${dir}/album.torrent`,
      trackers: ["http://127.0.0.1:1/announce", "udp://127.0.0.1:2/announce"],
      private: true,
    });
    const meta = bencode.decode(await Deno.readFile(t.path));
    const text = (v: Uint8Array) => new TextDecoder().decode(v);
    assert.deepEqual(text(meta.announce), "http://127.0.0.1:1/announce");
    assert.deepEqual(meta["announce-list"].length, 2);
    assert.deepEqual(meta.info["piece length"], 1 << 15);
    assert.deepEqual(meta.info.private, 1);
    assert.deepEqual(meta.info.files.length, p.files.length);
    assert.deepEqual(meta.info.pieces.length / 20, Math.ceil(p.totalSize / (1 << 15)));
    assert.deepEqual(t.infoHashHex, await infoHashOf(t.path));
    assert(/^[0-9a-f]{40}$/.test(t.infoHashHex));
  }));

Deno.test("makeTorrent rejects a piece length mktorrent cannot make", () =>
  withTempDir(async (dir) => {
    const p = await makePayload(dir, { name: "f.bin", size: 10 });
    await rejectsWith(
      () => makeTorrent(p.root, { pieceLength: 16384, out: `${dir}/x.torrent` }),
      "not a power of two",
    );
    await rejectsWith(
      () => makeTorrent(p.root, { pieceLength: 50_000, out: `${dir}/x.torrent` }),
      "not a power of two",
    );
  }));

Deno.test("sameTree accepts identical trees and names each kind of difference", () =>
  withTempDir(async (dir) => {
    const a = await makePayload(`${dir}/a`, multiFileSpec("t"));
    const b = await makePayload(`${dir}/b`, multiFileSpec("t"));
    await sameTree(a.root, b.root);

    const flipped = `${b.root}/disc 2/track.bin`;
    const bytes = await Deno.readFile(flipped);
    bytes[300_001] ^= 0xff;
    await Deno.writeFile(flipped, bytes);
    await Deno.writeFile(`${b.root}/extra.txt`, new Uint8Array(1));
    await Deno.remove(`${b.root}/cover.jpg`);
    await Deno.writeFile(`${b.root}/disc 2/deep/nested/notes.txt`, new Uint8Array(5));

    const diffs = await treeDifferences(a.root, b.root);
    assert.deepEqual(diffs.sort(), [
      `disc 2/deep/nested/notes.txt: size 1337 vs 5`,
      `disc 2/track.bin: bytes differ from offset 300001`,
      `only in ${a.root}: cover.jpg`,
      `only in ${b.root}: extra.txt`,
    ]);
    await rejectsWith(() => sameTree(a.root, b.root), "bytes differ from offset 300001");
  }));

Deno.test("sameTree can excuse missing empty files, and only those", () =>
  withTempDir(async (dir) => {
    const a = await makePayload(`${dir}/a`, multiFileSpec("t"));
    const b = await makePayload(`${dir}/b`, multiFileSpec("t"));
    await Deno.remove(`${b.root}/disc 1/02 empty.txt`);
    await rejectsWith(() => sameTree(a.root, b.root), "02 empty.txt");
    await sameTree(a.root, b.root, { ignoreMissingEmptyFiles: true });
    await Deno.remove(`${b.root}/cover.jpg`);
    await rejectsWith(
      () => sameTree(a.root, b.root, { ignoreMissingEmptyFiles: true }),
      "cover.jpg",
    );
  }));

Deno.test("sameTree compares single files too", () =>
  withTempDir(async (dir) => {
    const a = await makePayload(`${dir}/a`, { name: "f", size: 5000 });
    const b = await makePayload(`${dir}/b`, { name: "f", size: 5000 });
    await sameTree(a.root, b.root);
    const c = await makePayload(`${dir}/c`, { name: "f", size: 5000, seed: 2 });
    await rejectsWith(() => sameTree(a.root, c.root), "(file): bytes differ from offset 0");
  }));
