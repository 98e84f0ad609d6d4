/**
 * A full disk: the download folder is a 1 MiB tmpfs and the torrent is 3 MB. The client must
 * stop with a one-line reason and exit 1, not crash or hang. (Mounting needs root, which the
 * test machines have; the test fails loudly if it cannot mount.)
 */
import assert from "node:assert/strict";
import { startLibtorrent } from "../support/libtorrent.ts";
import { runOurClient } from "../support/our_client.ts";
import { makePayload, makeTorrent } from "../support/payload.ts";

async function run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

Deno.test("a full disk ends the download with a one-line error and exit status 1", async () => {
  const dir = await Deno.makeTempDir();
  const disk = `${dir}/disk`;
  await Deno.mkdir(disk);
  await run("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", disk]);
  try {
    const payload = await makePayload(`${dir}/seed`, { name: "big.bin", size: 3_000_000, seed: 4 });
    const torrent = await makeTorrent(payload.root, {
      pieceLength: 32768,
      out: `${dir}/b.torrent`,
    });
    const seed = await startLibtorrent({ torrent: torrent.path, dir: `${dir}/seed`, mode: "seed" });
    try {
      const result = await runOurClient(
        [
          torrent.path,
          "--no-tui",
          "--out",
          disk,
          "--port",
          "0",
          "--peer",
          `127.0.0.1:${seed.port}`,
        ],
        30_000,
      );
      assert.equal(result.code, 1, result.output);
      const errors = result.output.split("\n").filter((l) => l.startsWith("error:"));
      assert.equal(errors.length, 1, result.output);
      assert.match(errors[0], /^error: writing .*big\.bin: No space left on device/);
      assert.doesNotMatch(result.output, /^\s+at /m, "no stack trace");
    } finally {
      await seed.stop();
    }
  } finally {
    await run("umount", [disk]);
    await Deno.remove(dir, { recursive: true });
  }
});
