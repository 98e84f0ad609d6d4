/**
 * A magnet link whose only peer is an aria2 seed, given as `x.pe` or with `--peer`: the metadata
 * comes from aria2 (its ut_metadata), and so must the files. aria2 never dials back; libtorrent
 * does (it learns our port from our extended handshake), which would hide a client that forgets
 * the peer it was given.
 */
import assert from "node:assert/strict";
import { startAria2 } from "../support/aria2.ts";
import { runOurClient } from "../support/our_client.ts";
import { makePayload, makeTorrent, sameTree, type TorrentFile } from "../support/payload.ts";

/** An aria2 seed of a 300 kB file for `body`, everything removed afterwards. */
async function withAria2Seed(
  body: (dir: string, torrent: TorrentFile, seedPort: number) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "magnet-aria2-seed-" });
  try {
    await makePayload(`${dir}/seed`, { name: "one.bin", size: 300_007, seed: 4 });
    const torrent = await makeTorrent(`${dir}/seed/one.bin`, {
      pieceLength: 32768,
      out: `${dir}/one.torrent`,
    });
    const seed = await startAria2({ torrent: torrent.path, dir: `${dir}/seed`, mode: "seed" });
    try {
      await body(dir, torrent, seed.port);
    } finally {
      await seed.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs our client on `magnet` plus `extra` options and checks the download. */
async function download(dir: string, magnet: string, extra: string[]): Promise<void> {
  const run = await runOurClient([
    magnet,
    ...extra,
    "--no-tui",
    "--out",
    `${dir}/dl`,
    "--port",
    "0",
    "--no-dht",
    "--give-up",
    "8",
    "-v",
  ], 30_000);
  assert.match(run.output, /connected to 127\.0\.0\.1:\d+ \(aria2 \d+\.\d+\.\d+\) for metadata/);
  assert.match(run.output, /metadata fetched and verified: one\.bin/);
  assert.equal(run.code, 0, run.output);
  await sameTree(`${dir}/seed/one.bin`, `${dir}/dl/one.bin`);
}

Deno.test("magnet link with x.pe: metadata and files from aria2", async () => {
  await withAria2Seed(async (dir, torrent, seedPort) => {
    const magnet = `magnet:?xt=urn:btih:${torrent.infoHashHex}&x.pe=127.0.0.1:${seedPort}`;
    await download(dir, magnet, []);
  });
});

Deno.test({
  name: "magnet link with --peer: metadata and files from the given peer",
  async fn() {
    await withAria2Seed(async (dir, torrent, seedPort) => {
      // Today: "metadata fetched and verified", then "no peer reachable for 8 s (no peers known)".
      await download(dir, `magnet:?xt=urn:btih:${torrent.infoHashHex}`, [
        "--peer",
        `127.0.0.1:${seedPort}`,
      ]);
    });
  },
});
