/**
 * A magnet link whose peer cannot be reached when the client starts: `--give-up` must end the
 * run when nobody ever answers, and a peer that comes up later (a libtorrent seed started on the
 * `x.pe` port a moment after our client) must be dialed again and serve the metadata and files.
 */
import assert from "node:assert/strict";
import { startLibtorrent } from "../support/libtorrent.ts";
import { runOurClient, startOurClient } from "../support/our_client.ts";
import { makePayload, makeTorrent, sameTree } from "../support/payload.ts";
import { freePort, waitFor } from "../support/process.ts";

Deno.test({
  name: "magnet link with an unreachable x.pe: --give-up ends the run",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "magnet-give-up-" });
    try {
      const run = await runOurClient([
        `magnet:?xt=urn:btih:${"ab".repeat(20)}&x.pe=127.0.0.1:${freePort()}`,
        "--no-tui",
        "--out",
        dir,
        "--port",
        "0",
        "--no-dht",
        "--give-up",
        "2",
      ], 20_000);
      assert.equal(run.code, 1, run.output);
      assert.match(run.output, /no peer reachable/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "magnet link whose x.pe peer comes up later: dialed again, metadata and files",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "magnet-late-peer-" });
    try {
      const payload = await makePayload(`${dir}/seed`, {
        name: "late.bin",
        size: 200_003,
        seed: 8,
      });
      const torrent = await makeTorrent(payload.root, {
        pieceLength: 32768,
        out: `${dir}/late.torrent`,
      });
      const port = freePort();
      const client = startOurClient([
        `magnet:?xt=urn:btih:${torrent.infoHashHex}&x.pe=127.0.0.1:${port}`,
        "--no-tui",
        "--out",
        `${dir}/dl`,
        "--port",
        "0",
        "--no-dht",
        "--give-up",
        "120",
        "-v",
      ]);
      try {
        await waitFor(() => /fetching metadata/.test(client.output()), {
          timeoutMs: 15_000,
          what: "our client to start the metadata phase",
        });
        // Its first dial has failed by now: nothing listened on the port.
        const seed = await startLibtorrent({
          torrent: torrent.path,
          dir: `${dir}/seed`,
          mode: "seed",
          listenPort: port,
        });
        try {
          // The pool retries a failed peer after 20 s.
          await waitFor(() => /done: late\.bin/.test(client.output()), {
            timeoutMs: 40_000,
            what: "our client to dial the seed again and finish",
          }).catch((error) => {
            throw new Error(`${error.message}:\n${client.output()}`);
          });
          await sameTree(payload.root, `${dir}/dl/late.bin`);
        } finally {
          await seed.stop();
        }
      } finally {
        await client.stop();
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
