/**
 * The encryption policy reaches every connection a torrent makes or takes: the swarm's dials,
 * a magnet link's metadata dials, and the shared listener. Each case is built so that a policy
 * not passed on would give a different stream (or none), and the log says which it got.
 */
import assert from "node:assert/strict";
import { parseMagnet } from "../../src/metainfo/magnet.ts";
import { main } from "../../src/cli/main.ts";
import { PeerListener } from "../../src/torrent/peer_listener.ts";
import { Torrent } from "../../src/torrent/torrent.ts";
import { TorrentJob } from "../../src/torrent/torrent_job.ts";
import type { EncryptionPolicy } from "../../src/wire/encryption_policy.ts";
import { withTimeout } from "../support/process.ts";
import { type SyntheticTorrent, syntheticTorrent } from "../support/synthetic_torrent.ts";

const PIECE = 32768;

/** A seeding Torrent of `t` on a listener with the given policy. */
async function startSeeder(t: SyntheticTorrent, encryption: EncryptionPolicy) {
  const dir = await Deno.makeTempDir();
  await Deno.writeFile(`${dir}/${t.metainfo.name}`, t.content);
  const torrent = new Torrent(t.metainfo, { dir, seed: true, recheck: true });
  const listener = new PeerListener({ port: 0, hostname: "127.0.0.1", encryption });
  listener.register(torrent);
  await torrent.start();
  return {
    torrent,
    address: { host: "127.0.0.1", port: listener.port },
    /** The seeder's log lines about incoming peers. */
    incoming: () => torrent.log.map((l) => l.text).filter((l) => /, incoming/.test(l)),
    async close() {
      listener.close();
      await torrent.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function download(
  t: SyntheticTorrent,
  seeder: { address: { host: string; port: number } },
  encryption: EncryptionPolicy,
): Promise<string[]> {
  const dir = await Deno.makeTempDir();
  const torrent = new Torrent(t.metainfo, { dir, encryption });
  try {
    await torrent.start();
    torrent.addPeers([seeder.address], "test");
    await withTimeout(torrent.whenDone(), 10_000, "download");
    assert.deepEqual(await Deno.readFile(`${dir}/${t.metainfo.name}`), t.content);
    return torrent.log.map((l) => l.text).filter((l) => l.startsWith("connected to"));
  } finally {
    await torrent.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a torrent that requires encryption dials RC4, even to a tolerant peer", async () => {
  const t = await syntheticTorrent("req.bin", [{ path: "req.bin", length: 5 * PIECE + 3 }], PIECE);
  const seeder = await startSeeder(t, "tolerate");
  try {
    const connected = await download(t, seeder, "require");
    assert.ok(connected.length > 0);
    for (const line of connected) assert.match(line, /\), encrypted \(rc4\)$/);
    for (const line of seeder.incoming()) assert.match(line, /, incoming, encrypted \(rc4\)$/);
  } finally {
    await seeder.close();
  }
});

Deno.test("a listener that prefers encryption selects RC4 for a peer offering both", async () => {
  const t = await syntheticTorrent("pre.bin", [{ path: "pre.bin", length: 3 * PIECE }], PIECE);
  const seeder = await startSeeder(t, "prefer");
  try {
    const connected = await download(t, seeder, "prefer");
    assert.ok(connected.length > 0);
    // A tolerant listener would have selected the plaintext stream.
    for (const line of connected) assert.match(line, /encrypted \(rc4\)$/);
    assert.ok(seeder.incoming().length > 0);
  } finally {
    await seeder.close();
  }
});

Deno.test("a listener that requires encryption lets a tolerant torrent in only through MSE", async () => {
  const t = await syntheticTorrent("tol.bin", [{ path: "tol.bin", length: 2 * PIECE }], PIECE);
  const seeder = await startSeeder(t, "require");
  try {
    const connected = await download(t, seeder, "tolerate");
    // Plaintext first (refused), then the MSE retry; the listener selects RC4.
    for (const line of connected) assert.match(line, /encrypted \(rc4\)$/);
  } finally {
    await seeder.close();
  }
});

Deno.test("a magnet link's metadata dials use the policy too", async () => {
  const t = await syntheticTorrent("mag.bin", [{ path: "mag.bin", length: 4 * PIECE }], PIECE);
  const seeder = await startSeeder(t, "tolerate");
  const dir = await Deno.makeTempDir();
  const job = new TorrentJob(
    { magnet: parseMagnet(`magnet:?xt=urn:btih:${t.metainfo.infoHashHex}`) },
    { dir, encryption: "require" },
  );
  try {
    await job.start();
    job.addPeers([seeder.address], "test");
    await withTimeout(job.whenDone(), 10_000, "magnet download");
    assert.deepEqual(await Deno.readFile(`${dir}/mag.bin`), t.content);
    // The seeder saw the metadata connection and the torrent's: all of them RC4.
    const incoming = seeder.incoming();
    assert.ok(incoming.length >= 2, incoming.join("\n"));
    for (const line of incoming) assert.match(line, /, incoming, encrypted \(rc4\)$/);
  } finally {
    await job.stop();
    await seeder.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("`info` on a magnet link fetches the metadata with the policy too", async () => {
  const t = await syntheticTorrent("info.bin", [{ path: "info.bin", length: 4 * PIECE }], PIECE);
  const seeder = await startSeeder(t, "tolerate");
  try {
    const lines: string[] = [];
    const output = {
      line: (text: string) => lines.push(text),
      error: (text: string) => lines.push(text),
    };
    const code = await withTimeout(
      main([
        "info",
        `magnet:?xt=urn:btih:${t.metainfo.infoHashHex}`,
        "--peer",
        `${seeder.address.host}:${seeder.address.port}`,
        "--no-dht",
        "--give-up",
        "10",
        "--encryption",
        "require",
      ], output),
      15_000,
      "info on a magnet link",
    );
    assert.equal(code, 0, lines.join("\n"));
    assert.match(lines.join("\n"), new RegExp(t.metainfo.infoHashHex));
    // A tolerate seeder picks plaintext whenever it is offered: RC4 means we offered only RC4.
    const incoming = seeder.incoming();
    assert.ok(incoming.length >= 1, "the seeder saw no connection");
    for (const line of incoming) assert.match(line, /, incoming, encrypted \(rc4\)$/);
  } finally {
    await seeder.close();
  }
});
