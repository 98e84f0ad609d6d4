/**
 * Crash safety: our client is killed with SIGKILL at several moments of a download from a
 * rate-limited libtorrent seeder, restarted each time, and finishes with identical files having
 * fetched again at most what was in flight. Then a byte is corrupted on disk and found.
 */
import assert from "node:assert/strict";
import { startLibtorrent } from "../support/libtorrent.ts";
import { runOurClient, startOurClient, totals } from "../support/our_client.ts";
import { makePayload, makeTorrent, sameTree } from "../support/payload.ts";
import { waitFor } from "../support/process.ts";

const PIECE = 65536;
const SIZE = 6 * 1024 * 1024 + 12345;
const PIECES = Math.ceil(SIZE / PIECE);
/** What a kill may cost: the requests in flight (64 blocks at this rate) and a few pieces being written. */
const IN_FLIGHT_BOUND = 64 * 16384 + 4 * PIECE;

function verifiedAtStart(output: string): { count: number; source: string } {
  const m = /(\d+) of (\d+) pieces verified \((\w+)\)/.exec(output);
  return m ? { count: Number(m[1]), source: m[3] } : { count: 0, source: "empty" };
}

Deno.test("kill -9 at random moments, restart: completes, refetching at most what was in flight", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const payload = await makePayload(`${dir}/seed`, { name: "film.bin", size: SIZE, seed: 3 });
    const torrent =
      (await makeTorrent(payload.root, { pieceLength: PIECE, out: `${dir}/film.torrent` })).path;
    const seed = await startLibtorrent({
      torrent,
      dir: `${dir}/seed`,
      mode: "seed",
      uploadRateLimit: 1_500_000,
    });
    const args = [
      torrent,
      "--no-tui",
      "-v",
      "--out",
      `${dir}/dl`,
      "--port",
      "0",
      "--peer",
      `127.0.0.1:${seed.port}`,
    ];
    try {
      // Deterministic "random" kill moments, in bytes received by the seeder's count.
      const killAt = [0.15, 0.4, 0.7].map((f) => Math.floor(f * SIZE));
      let uploadedBefore = 0;
      for (const target of killAt) {
        const client = startOurClient(args);
        try {
          await waitFor(() => seed.status().uploaded >= target, {
            timeoutMs: 30_000,
            what: `${target} bytes sent`,
          });
          client.child.kill("SIGKILL");
          await client.child.status;
        } finally {
          await client.stop();
        }
        const sentSoFar = seed.status().uploaded;
        // The next start finds on disk what arrived, minus at most what was in flight.
        const probe = startOurClient([...args, "--give-up", "1"]);
        let found = 0;
        try {
          await waitFor(() => /pieces verified|connected to/.test(probe.output()), {
            timeoutMs: 20_000,
            what: "the restart's check",
          });
          found = verifiedAtStart(probe.output()).count;
          // Late in the download the probe may finish (and exit) before it is killed.
          await probe.stop(0);
        } finally {
          await probe.stop();
        }
        const verifiedBytes = Math.min(found * PIECE, SIZE);
        assert.ok(
          sentSoFar - verifiedBytes <= IN_FLIGHT_BOUND + (seed.status().uploaded - sentSoFar),
          `kill at ${target}: seeder sent ${sentSoFar}, restart found ${verifiedBytes} verified`,
        );
        assert.ok(
          found >= Math.floor(uploadedBefore / PIECE) - 1,
          "a restart never loses pieces found before",
        );
        uploadedBefore = verifiedBytes;
      }
      const final = await runOurClient(args, 60_000);
      assert.equal(final.code, 0, final.output);
      await sameTree(payload.root, `${dir}/dl/film.bin`);
      const { downloaded } = totals(final.output);
      const start = verifiedAtStart(final.output);
      assert.ok(downloaded <= (PIECES - start.count) * PIECE + IN_FLIGHT_BOUND, final.output);

      // A clean restart trusts the resume file: nothing to check, nothing to fetch.
      const again = await runOurClient(args, 30_000);
      assert.equal(again.code, 0, again.output);
      assert.deepEqual(
        verifiedAtStart(again.output),
        { count: PIECES, source: "resume" },
        again.output,
      );
      assert.equal(totals(again.output).downloaded, 0);

      // One flipped byte: the file's mtime changes, the resume file is distrusted, the hash
      // check finds the bad piece and only that piece is fetched again.
      const path = `${dir}/dl/film.bin`;
      const file = await Deno.open(path, { read: true, write: true });
      await file.seek(3 * PIECE + 100, Deno.SeekMode.Start);
      await file.write(new Uint8Array([0x5a ^ (await Deno.readFile(path))[3 * PIECE + 100]]));
      file.close();
      const repaired = await runOurClient(args, 30_000);
      assert.equal(repaired.code, 0, repaired.output);
      assert.deepEqual(
        verifiedAtStart(repaired.output),
        { count: PIECES - 1, source: "recheck" },
        repaired.output,
      );
      assert.equal(totals(repaired.output).downloaded, PIECE);
      await sameTree(payload.root, path);
    } finally {
      await seed.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
