import assert from "node:assert/strict";
import { autoPieceLength, createTorrent } from "../../src/metainfo/create_torrent.ts";
import { MetainfoError } from "../../src/metainfo/metainfo_error.ts";
import { parseMetainfo } from "../../src/metainfo/parse_metainfo.ts";
import { makePayload, makeTorrent, multiFileSpec } from "../support/payload.ts";
import { aria2Show, libtorrentInfo, transmissionShow } from "./inspect_torrent.ts";

async function withTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("autoPieceLength aims at 1000-2000 pieces within 16 KiB..16 MiB", () => {
  assert.equal(autoPieceLength(1), 16384);
  assert.equal(autoPieceLength(2000 * 16384), 16384);
  assert.equal(autoPieceLength(2000 * 16384 + 1), 32768);
  for (const total of [1e8, 7.3e8, 4 * 1024 ** 3, 1.1e10]) {
    const pieces = total / autoPieceLength(total);
    assert.ok(pieces > 1000 && pieces <= 2000, `${total}: ${pieces} pieces`);
  }
  assert.equal(autoPieceLength(1e15), 16 * 1024 * 1024);
});

Deno.test("a folder torrent hashes like mktorrent's and loads in libtorrent, Transmission, aria2", async () => {
  await withTempDir(async (dir) => {
    const payload = await makePayload(dir, multiFileSpec("album"));
    const trackers = ["http://127.0.0.1:6969/announce", "udp://127.0.0.1:6969"];
    const theirs = await makeTorrent(payload.root, {
      pieceLength: 32768,
      out: `${dir}/mk.torrent`,
      trackers,
    });
    const bytes = await createTorrent({
      path: payload.root,
      pieceLength: 32768,
      trackers,
      creationDate: null,
      comment: "made by a test",
    });
    await Deno.writeFile(`${dir}/ours.torrent`, bytes);
    const ours = await parseMetainfo(bytes, { windows: false });
    assert.equal(ours.infoHashHex, theirs.infoHashHex);
    const mk = await parseMetainfo(await Deno.readFile(theirs.path), { windows: false });
    assert.deepEqual(ours.infoBytes, mk.infoBytes);
    assert.deepEqual(ours.announceTiers, [[trackers[0]], [trackers[1]]]);
    assert.deepEqual(ours.announceTiers, mk.announceTiers);

    const expectedPaths = [...payload.files].map((f) => `album/${f.path}`).sort();
    assert.deepEqual(ours.files.map((f) => f.path.join("/")), expectedPaths);
    assert.equal(ours.totalLength, payload.totalSize);
    assert.equal(ours.comment, "made by a test");
    assert.equal(ours.creationDate, undefined);

    const [lt, tr, aria] = await Promise.all([
      libtorrentInfo(`${dir}/ours.torrent`),
      transmissionShow(`${dir}/ours.torrent`),
      aria2Show(`${dir}/ours.torrent`),
    ]);
    assert.equal(lt.infoHash, ours.infoHashHex);
    assert.deepEqual(
      lt.files.map((f) => [f.path, f.size]),
      ours.files.map((f) => [f.path.join("/"), f.length]),
    );
    assert.deepEqual(lt.trackers, [{ url: trackers[0], tier: 0 }, { url: trackers[1], tier: 1 }]);
    assert.equal(tr.infoHash, ours.infoHashHex);
    assert.deepEqual(tr.files, expectedPaths);
    assert.equal(aria.infoHash, ours.infoHashHex);
    assert.deepEqual(aria.files, expectedPaths);
  });
});

Deno.test("a single-file private torrent matches mktorrent's and libtorrent sees it private", async () => {
  await withTempDir(async (dir) => {
    const payload = await makePayload(dir, { name: "one.bin", size: 300_001, seed: 7 });
    const theirs = await makeTorrent(payload.root, {
      pieceLength: 65536,
      out: `${dir}/mk.torrent`,
      private: true,
      trackers: ["http://127.0.0.1:1/announce"],
    });
    const bytes = await createTorrent({
      path: payload.root,
      pieceLength: 65536,
      private: true,
      trackers: [["http://127.0.0.1:1/announce"]],
    });
    await Deno.writeFile(`${dir}/ours.torrent`, bytes);
    const ours = await parseMetainfo(bytes);
    assert.equal(ours.infoHashHex, theirs.infoHashHex);
    assert.equal(ours.multiFile, false);
    assert.equal(ours.private, true);
    assert.deepEqual(ours.files, [{ path: ["one.bin"], length: 300_001, offset: 0, pad: false }]);
    assert.equal(ours.createdBy, "bittorrent-ts");
    assert.ok(Math.abs(ours.creationDate! - Date.now() / 1000) < 60);
    const lt = await libtorrentInfo(`${dir}/ours.torrent`);
    assert.equal(lt.infoHash, ours.infoHashHex);
    assert.equal(lt.private, true);
    assert.equal(lt.numPieces, 5);
  });
});

Deno.test("folders: hidden files included, symlinks skipped, mktorrent's path order", async () => {
  await withTempDir(async (dir) => {
    const root = `${dir}/d`;
    for (const path of ["a/b", "a-c/x", "a.d", "B", ".hidden", "é", "Z"]) {
      await Deno.mkdir(`${root}/${path}`.replace(/\/[^/]+$/, ""), { recursive: true });
      await Deno.writeTextFile(`${root}/${path}`, path);
    }
    await Deno.symlink(`${root}/B`, `${root}/link`);
    const progress: number[] = [];
    const bytes = await createTorrent({
      path: `${root}/`,
      onProgress: (done) => progress.push(done),
    });
    const m = await parseMetainfo(bytes, { windows: false });
    assert.equal(m.name, "d");
    assert.equal(m.pieceLength, 16384);
    assert.deepEqual(
      m.files.map((f) => f.path.slice(1).join("/")),
      [".hidden", "B", "Z", "a-c/x", "a.d", "a/b", "é"],
    );
    assert.deepEqual(progress, [m.totalLength]);
    const theirs = await makeTorrent(root, { pieceLength: 32768, out: `${dir}/mk.torrent` });
    const again = await parseMetainfo(await createTorrent({ path: root, pieceLength: 32768 }));
    // mktorrent follows the symlink, so compare only when it is gone.
    await Deno.remove(`${root}/link`);
    const withoutLink = await makeTorrent(root, { pieceLength: 32768, out: `${dir}/mk2.torrent` });
    assert.notEqual(theirs.infoHashHex, withoutLink.infoHashHex);
    assert.equal(again.infoHashHex, withoutLink.infoHashHex);
  });
});

Deno.test("createTorrent hashes content spanning files and pieces like libtorrent checks it", async () => {
  await withTempDir(async (dir) => {
    const payload = await makePayload(dir, multiFileSpec("mix", 0.3, 3));
    const bytes = await createTorrent({ path: payload.root, pieceLength: 16384 });
    await Deno.writeFile(`${dir}/mix.torrent`, bytes);
    // libtorrent re-checks the data on disk against our piece hashes.
    const script = `
import sys, time, libtorrent as lt
s = lt.session({"enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
  "listen_interfaces": "127.0.0.1:0"})
h = s.add_torrent({"ti": lt.torrent_info(sys.argv[1]), "save_path": sys.argv[2]})
for _ in range(200):
  st = h.status()
  if st.state in (lt.torrent_status.seeding, lt.torrent_status.finished): break
  time.sleep(0.05)
print(h.status().num_pieces, h.status().state)
`;
    const out = await new Deno.Command("/usr/bin/python3", {
      args: ["-c", script, `${dir}/mix.torrent`, dir],
      stdout: "piped",
      signal: AbortSignal.timeout(20_000),
    }).output();
    const m = await parseMetainfo(bytes);
    assert.equal(new TextDecoder().decode(out.stdout).trim(), `${m.pieceCount} seeding`);
  });
});

Deno.test("createTorrent refuses bad input with MetainfoError", async () => {
  await withTempDir(async (dir) => {
    await Deno.mkdir(`${dir}/empty`);
    await Deno.writeTextFile(`${dir}/f`, "data");
    const cases: [Parameters<typeof createTorrent>[0], RegExp][] = [
      [{ path: `${dir}/missing` }, /no such file or folder/],
      [{ path: `${dir}/empty` }, /nothing to share/],
      [{ path: `${dir}/f`, pieceLength: 10000 }, /power of two/],
      [{ path: `${dir}/f`, pieceLength: 8192 }, /power of two/],
      [{ path: `${dir}/f`, trackers: ["not a url"] }, /not a tracker URL/],
    ];
    for (const [options, message] of cases) {
      await assert.rejects(createTorrent(options), (e: unknown) => {
        assert.ok(e instanceof MetainfoError, String(e));
        assert.match(e.message, message);
        return true;
      });
    }
  });
});
