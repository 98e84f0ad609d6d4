/**
 * Peer exchange (BEP 11) with real libtorrent: a swarm of three libtorrent peers (a seed A, and
 * leechers B and C that dial A), and our client told only of A. libtorrent's ut_pex sends a new
 * peer its full peer list on its first one-second tick after the extended handshake (when it has
 * more than one peer; its messages are spaced at least 3 s apart over all peers), so A tells us
 * of B and C within a second or a few; we must dial both, addresses we were never given, and
 * finish the download. (libtorrent's list includes the receiver itself.)
 *
 * Timing constraints: libtorrent drops seed-to-seed connections, so A must still have B and C
 * when it ticks (they download at 16 KiB/s and stay leechers), and our client must still be a
 * leecher when A's PEX arrives (A uploads at 192 KiB/s: our 1 MiB takes about six seconds, the
 * PEX came 0.7 s after the handshake in trials).
 * B and C have PEX off: with it on, A may tell them of us (depending on when its one message a
 * minute to each falls), they dial us first, and our dial of them then proves nothing.
 * libtorrent lists an incoming peer only once it has read that peer's extended handshake (its
 * listen port `p`), which can come a few hundred ms after the connection counts in `peers`; B and
 * C having downloaded from A (their only peer) proves A read it.
 */
import assert from "node:assert/strict";
import { startLibtorrent } from "../support/libtorrent.ts";
import { startOurClient } from "../support/our_client.ts";
import { makePayload, makeTorrent, sameTree } from "../support/payload.ts";
import { waitFor } from "../support/process.ts";

Deno.test("PEX: told of one libtorrent peer, we learn of and dial the other two", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pex-lt-" });
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const payload = await makePayload(`${dir}/a`, { name: "pex.bin", size: 1_048_583, seed: 3 });
    const torrent = await makeTorrent(payload.root, {
      pieceLength: 32768,
      out: `${dir}/pex.torrent`,
    });
    const a = await startLibtorrent({
      torrent: torrent.path,
      dir: `${dir}/a`,
      mode: "seed",
      uploadRateLimit: 192 * 1024,
    });
    stops.push(a.stop);
    const slow = 16 * 1024;
    const b = await startLibtorrent({
      torrent: torrent.path,
      dir: `${dir}/b`,
      mode: "leech",
      downloadRateLimit: slow,
      peers: [`127.0.0.1:${a.port}`],
      pex: false,
    });
    stops.push(b.stop);
    const c = await startLibtorrent({
      torrent: torrent.path,
      dir: `${dir}/c`,
      mode: "leech",
      downloadRateLimit: slow,
      peers: [`127.0.0.1:${a.port}`],
      pex: false,
    });
    stops.push(c.stop);
    await a.waitFor((s) => s.peers >= 2, 15_000, "libtorrent A to have B and C");
    for (const [name, peer] of [["B", b], ["C", c]] as const) {
      await peer.waitFor((s) => s.downloaded > 0, 15_000, `libtorrent ${name} to download from A`);
    }

    const client = startOurClient([
      torrent.path,
      "--no-tui",
      "--out",
      `${dir}/ours`,
      "--port",
      "0",
      "--no-dht",
      "--peer",
      `127.0.0.1:${a.port}`,
      "--seed",
      "-v",
    ]);
    stops.push(() => client.stop());
    // Outgoing connections only: an incoming one is logged with ", incoming" (then its encryption,
    // if any) and an ephemeral port.
    const dialed = (port: number) =>
      new RegExp(`connected to 127\\.0\\.0\\.1:${port} \\(libtorrent[^)]*\\)$`, "m");
    await waitFor(
      () =>
        [dialed(a.port), dialed(b.port), dialed(c.port), /done: pex\.bin/]
          .every((re) => re.test(client.output())),
      { timeoutMs: 30_000, what: "our client to dial A, B and C and finish" },
    ).catch((error) => {
      throw new Error(
        `${error.message} (A ${a.port}, B ${b.port}, C ${c.port}):\n${client.output()}`,
      );
    });
    assert.doesNotMatch(client.output(), /\), incoming/, "B and C cannot know our address");
    await sameTree(payload.root, `${dir}/ours/pex.bin`);
    const status = await client.stop();
    assert.equal(status.code, 0, client.output());
  } finally {
    for (const stop of stops.reverse()) await stop();
    await Deno.remove(dir, { recursive: true });
  }
});
