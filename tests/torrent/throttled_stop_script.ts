/**
 * Run by upload_rate_limit_test.ts: a seeder limited to 1 KiB/s serves its first block (the
 * burst), then is stopped while its session waits ~16 s for the next one. The process must then
 * exit at once, with nothing pending.
 * @module
 */

import { PeerListener } from "../../src/torrent/peer_listener.ts";
import { Torrent } from "../../src/torrent/torrent.ts";
import { syntheticTorrent } from "../support/synthetic_torrent.ts";

const size = 256 * 1024;
const t = await syntheticTorrent("slow.bin", [{ path: "slow.bin", length: size }], 32768);
const seedDir = await Deno.makeTempDir();
const leechDir = await Deno.makeTempDir();
await Deno.writeFile(`${seedDir}/slow.bin`, t.content);
const seeder = new Torrent(t.metainfo, {
  dir: seedDir,
  seed: true,
  recheck: true,
  uploadRateLimit: 1024,
});
const leech = new Torrent(t.metainfo, { dir: leechDir });
const listener = new PeerListener({ port: 0, hostname: "127.0.0.1" });
listener.register(seeder);
await seeder.start();
await leech.start();
const started = performance.now();
leech.addPeers([{ host: "127.0.0.1", port: listener.port }], "test");
while (seeder.up.total === 0) await new Promise((r) => setTimeout(r, 10));
// Long enough for the session to be waiting on the limit for its second block.
await new Promise((r) => setTimeout(r, 200));
listener.close();
await seeder.stop();
await leech.stop();
await Deno.remove(seedDir, { recursive: true });
await Deno.remove(leechDir, { recursive: true });
console.log(`uploaded ${seeder.up.total} of ${size}`);
console.log(`stopped after ${Math.round(performance.now() - started)} ms`);
