/**
 * Message Stream Encryption against real libtorrent: our client seeds, and libtorrent leechers
 * dial it with an encrypted handshake (RC4 required, either stream, or libtorrent's default of
 * encrypted first). Each download is byte-identical, and the first payload byte arrives without
 * the second or so a plaintext retry would cost. The other way round, our client downloads from
 * a libtorrent seed that accepts encrypted connections only.
 */
import assert from "node:assert/strict";
import { type LibtorrentEncryption, startLibtorrent } from "../support/libtorrent.ts";
import { listeningPort, runOurClient, startOurClient } from "../support/our_client.ts";
import { makePayload, makeTorrent, sameTree } from "../support/payload.ts";

/** A plaintext retry after a dropped encrypted attempt takes libtorrent about a second. */
const FAST_FIRST_BYTE_MS = 900;

async function leechFromOurSeed(name: string, encryption?: LibtorrentEncryption): Promise<number> {
  const dir = await Deno.makeTempDir();
  try {
    const payload = await makePayload(`${dir}/seed`, {
      name,
      size: 4 * 1024 * 1024 + 123,
      seed: 7,
    });
    const torrent = await makeTorrent(payload.root, {
      pieceLength: 65536,
      out: `${dir}/${name}.torrent`,
    });
    const seed = startOurClient([
      "seed",
      torrent.path,
      "--dir",
      `${dir}/seed`,
      "--port",
      "0",
      "--no-tui",
      "--no-dht",
    ]);
    try {
      const port = await listeningPort(seed, 20_000);
      const leech = await startLibtorrent({
        torrent: torrent.path,
        dir: `${dir}/lt`,
        mode: "leech",
        peers: [`127.0.0.1:${port}`],
        encryption,
      });
      try {
        // The script dials as soon as its check is over, which is when startLibtorrent returns.
        const started = Date.now() / 1000;
        const first = await leech.waitFor((s) => s.downloaded > 0, 20_000, "a first byte");
        const firstByteMs = Math.round((first.time - started) * 1000);
        await leech.waitForDone(30_000);
        await sameTree(payload.root, `${dir}/lt/${name}`);
        console.log(`${name}: first payload byte after ${firstByteMs} ms`);
        return firstByteMs;
      } catch (error) {
        console.log(seed.output());
        throw error;
      } finally {
        await leech.stop();
      }
    } finally {
      await seed.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a libtorrent leecher that requires RC4 downloads from our seed", async () => {
  await leechFromOurSeed("rc4-only.bin", { outgoing: "forced", level: "rc4" });
});

Deno.test("a libtorrent leecher that requires MSE (either stream) gets its first byte fast", async () => {
  const ms = await leechFromOurSeed("mse-either.bin", { outgoing: "forced", level: "both" });
  assert.ok(ms < FAST_FIRST_BYTE_MS, `first byte after ${ms} ms`);
});

Deno.test("libtorrent with its default policy (encrypted first) gets its first byte fast", async () => {
  const ms = await leechFromOurSeed("mse-default.bin");
  assert.ok(ms < FAST_FIRST_BYTE_MS, `first byte after ${ms} ms`);
});

Deno.test("our client downloads from a libtorrent seed that accepts only encrypted peers", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const name = "from-forced.bin";
    const payload = await makePayload(`${dir}/seed`, { name, size: 3 * 1024 * 1024 + 7, seed: 9 });
    const torrent = await makeTorrent(payload.root, {
      pieceLength: 65536,
      out: `${dir}/${name}.torrent`,
    });
    const seed = await startLibtorrent({
      torrent: torrent.path,
      dir: `${dir}/seed`,
      mode: "seed",
      encryption: { incoming: "forced", level: "both" },
    });
    try {
      const run = await runOurClient(
        [
          torrent.path,
          "--no-tui",
          "--no-dht",
          "--out",
          `${dir}/dl`,
          "--port",
          "0",
          "--peer",
          `127.0.0.1:${seed.port}`,
          "--give-up",
          "30",
        ],
        60_000,
      );
      assert.equal(run.code, 0, run.output);
      await sameTree(payload.root, `${dir}/dl/${name}`);
    } finally {
      await seed.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
