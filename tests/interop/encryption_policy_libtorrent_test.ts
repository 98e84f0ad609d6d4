/**
 * `--encryption require` against real libtorrent: our client downloads from a libtorrent seed
 * with default settings over RC4 (the verbose log names each connection's stream), and our seed
 * gives nothing to a libtorrent leecher with encryption disabled while a default leecher gets
 * every byte from it.
 */
import assert from "node:assert/strict";
import { startLibtorrent } from "../support/libtorrent.ts";
import { listeningPort, runOurClient, startOurClient } from "../support/our_client.ts";
import { makePayload, makeTorrent, sameTree } from "../support/payload.ts";

/** How long a leecher that cannot talk to our seed is watched for payload. */
const REFUSED_WATCH_MS = 3000;

Deno.test("--encryption require downloads from a default libtorrent seed, over RC4", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const name = "require-dl.bin";
    const payload = await makePayload(`${dir}/seed`, { name, size: 3 * 1024 * 1024 + 5, seed: 11 });
    const torrent = await makeTorrent(payload.root, {
      pieceLength: 65536,
      out: `${dir}/${name}.torrent`,
    });
    const seed = await startLibtorrent({ torrent: torrent.path, dir: `${dir}/seed`, mode: "seed" });
    try {
      const run = await runOurClient(
        [
          torrent.path,
          "--encryption",
          "require",
          "--no-tui",
          "--verbose",
          "--out",
          `${dir}/dl`,
          "--port",
          "0",
          "--peer",
          `127.0.0.1:${seed.port}`,
          "--give-up",
          "15",
        ],
        20_000,
      );
      assert.equal(run.code, 0, run.output);
      await sameTree(payload.root, `${dir}/dl/${name}`);
      const connected = run.output.split("\n").filter((l) => l.includes("connected to"));
      assert.ok(connected.length > 0, run.output);
      for (const line of connected) {
        assert.match(
          line,
          /connected to 127\.0\.0\.1:\d+ \(libtorrent[^)]*\).*, encrypted \(rc4\)$/,
        );
      }
    } finally {
      await seed.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("our seed with --encryption require: a plaintext-only libtorrent gets nothing, a default one everything", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const name = "require-seed.bin";
    const payload = await makePayload(`${dir}/seed`, { name, size: 2 * 1024 * 1024 + 9, seed: 13 });
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
      "--verbose",
      "--encryption",
      "require",
    ]);
    try {
      const port = await listeningPort(seed, 15_000);
      const common = {
        torrent: torrent.path,
        mode: "leech" as const,
        peers: [`127.0.0.1:${port}`],
      };
      // PEX off: the two leechers must not find each other.
      const plain = await startLibtorrent({
        ...common,
        dir: `${dir}/plain`,
        pex: false,
        encryption: { incoming: "disabled", outgoing: "disabled" },
      });
      try {
        const normal = await startLibtorrent({
          ...common,
          dir: `${dir}/normal`,
          pex: false,
        });
        try {
          await normal.waitForDone(15_000);
          await sameTree(payload.root, `${dir}/normal/${name}`);
          // By now the plaintext leecher has dialled (and been refused) several times.
          const watchUntil = Date.now() + REFUSED_WATCH_MS;
          while (Date.now() < watchUntil) {
            const s = plain.status();
            assert.equal(s.downloaded, 0, "payload reached the plaintext-only leecher");
            assert.equal(s.peers, 0, "the plaintext-only leecher got a connection");
            await new Promise((r) => setTimeout(r, 200));
          }
          // Our seed talked RC4 to the default leecher, and to nobody else.
          const incoming = seed.output().split("\n").filter((l) => l.includes("connected to"));
          assert.ok(incoming.length > 0, seed.output());
          for (const line of incoming) assert.match(line, /, incoming, encrypted \(rc4\)$/);
        } finally {
          await normal.stop();
        }
      } finally {
        await plain.stop();
      }
    } catch (error) {
      console.log(seed.output());
      throw error;
    } finally {
      await seed.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
