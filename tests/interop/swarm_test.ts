/**
 * A swarm of two of our clients and one libtorrent, found through opentracker: everyone
 * completes, and what we say we uploaded is what the others say they received.
 */
import assert from "node:assert/strict";
import { type LibtorrentStatus, startLibtorrent } from "../support/libtorrent.ts";
import { makeTrackedTorrent } from "../support/tracked_torrent.ts";
import { listeningPort, startOurClient, totals } from "../support/our_client.ts";
import { makePayload, sameTree } from "../support/payload.ts";
import { waitFor } from "../support/process.ts";

Deno.test("our seed, our leech and a libtorrent leech: all complete, upload counters add up", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const payload = await makePayload(`${dir}/a`, { name: "data.bin", size: 6_000_011, seed: 77 });
    const tracked = await makeTrackedTorrent(payload.root, {
      pieceLength: 32768,
      out: `${dir}/data.torrent`,
    });
    const { tracker } = tracked;
    try {
      const torrent = tracked.torrent.path;
      const seed = startOurClient([
        "seed",
        torrent,
        "--dir",
        `${dir}/a`,
        "--port",
        "0",
        "--no-tui",
      ]);
      const leech = startOurClient([
        torrent,
        "--no-tui",
        "--seed",
        "--out",
        `${dir}/b`,
        "--port",
        "0",
      ]);
      try {
        await tracker.waitForPeer(
          tracked.torrent.infoHashHex,
          await listeningPort(seed, 20_000),
          15_000,
        );
        await tracker.waitForPeer(
          tracked.torrent.infoHashHex,
          await listeningPort(leech, 20_000),
          15_000,
        );
        const lt = await startLibtorrent({ torrent, dir: `${dir}/c`, mode: "leech" });
        let ltStatus: LibtorrentStatus | undefined;
        try {
          await lt.waitForDone(60_000);
          await waitFor(() => /done: data\.bin/.test(leech.output()), {
            timeoutMs: 60_000,
            what: "our leech to finish",
          });
          // Stop the senders first, so no block is still on its way when libtorrent is read.
          await seed.stop();
          await leech.stop();
          const stoppedAt = Date.now() / 1000;
          ltStatus = await lt.waitFor((s) => s.time > stoppedAt + 0.3, 5000, "a fresh status line");
        } finally {
          await lt.stop();
        }
        await seed.stop();
        await leech.stop();
        const a = totals(seed.output());
        const b = totals(leech.output());
        await sameTree(payload.root, `${dir}/b/data.bin`);
        await sameTree(payload.root, `${dir}/c/data.bin`);
        assert.equal(a.downloaded, 0);
        const { uploaded: ltUp, downloaded: ltDown } = ltStatus!;
        assert.ok(a.uploaded > 0 && b.downloaded > 0 && ltDown > 0);
        // Every payload byte sent was received by someone: our two uploads plus libtorrent's
        // equal what our leech and libtorrent received. The one slack: a block libtorrent
        // cancelled (endgame) that was already on the wire arrives for a piece it has, and
        // libtorrent drops it without counting it anywhere.
        const sent = a.uploaded + b.uploaded + ltUp;
        const received = b.downloaded + ltDown;
        const detail = `seed ${JSON.stringify(a)} leech ${JSON.stringify(b)} libtorrent ${
          JSON.stringify(ltStatus)
        }`;
        assert.ok(sent >= received && sent - received <= 4 * 16384, detail);
      } finally {
        await seed.stop();
        await leech.stop();
      }
    } finally {
      await tracker.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
