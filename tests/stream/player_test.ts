import assert from "node:assert/strict";
import {
  launchPlayer,
  pickDefaultFile,
  playerCommand,
  PlayerError,
} from "../../src/stream/player.ts";
import { waitFor, withTimeout } from "../support/process.ts";

const URL = "http://127.0.0.1:8888/0/Film%20(2001).mkv";

Deno.test("player: argv for mpv and vlc, URL as one argument", () => {
  assert.deepEqual(playerCommand("mpv", URL), ["mpv", "--force-seekable=yes", URL]);
  assert.deepEqual(playerCommand("vlc", URL), ["vlc", "--play-and-exit", URL]);
});

Deno.test("player: launch runs the binary with the argv, detached from our output", async () => {
  const dir = await Deno.makeTempDir({ prefix: "player_test_" });
  const fake = `${dir}/fake-mpv`;
  await Deno.writeTextFile(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/args"\necho noise\n`);
  await Deno.chmod(fake, 0o755);
  const child = launchPlayer("mpv", URL, { binary: fake });
  try {
    const args = await waitFor(
      () => Deno.readTextFile(`${dir}/args`).catch(() => ""),
      { timeoutMs: 5000, what: "fake player args" },
    );
    assert.equal(args, `--force-seekable=yes\n${URL}\n`);
    const status = await withTimeout(child.status, 5000, "fake player exit");
    assert.equal(status.code, 0);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("player: a missing binary is a clear PlayerError", () => {
  assert.throws(
    () => launchPlayer("vlc", URL, { binary: "/nonexistent/vlc" }),
    (error: unknown) => {
      assert.ok(error instanceof PlayerError);
      assert.equal(
        error.message,
        `/nonexistent/vlc not found; install vlc or open ${URL} yourself`,
      );
      return true;
    },
  );
});

Deno.test("player: default file is the largest video, else audio, else anything", () => {
  const f = (index: number, path: string, length: number) => ({ index, path, length });
  assert.equal(pickDefaultFile([]), undefined);
  assert.equal(
    pickDefaultFile([
      f(0, "t/cover.jpg", 9_000_000),
      f(1, "t/sample.mkv", 5_000_000),
      f(2, "t/movie.mp4", 700_000_000),
      f(3, "t/soundtrack.flac", 800_000_000),
    ])?.index,
    2,
  );
  assert.equal(
    pickDefaultFile([f(0, "a/cover.png", 9e6), f(5, "a/01.flac", 3e7), f(6, "a/02.flac", 4e7)])
      ?.index,
    6,
  );
  assert.equal(pickDefaultFile([f(0, "x/readme.txt", 10), f(1, "x/data.iso", 1e9)])?.index, 1);
  assert.equal(pickDefaultFile([f(3, "a.mkv", 100), f(4, "b.mkv", 100)])?.index, 3);
});
