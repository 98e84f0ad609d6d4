/**
 * `deno task demo` in a real terminal (tmux): the TUI shows the download from our four peers,
 * and q stops everything and removes the demo's data.
 */
import assert from "node:assert/strict";
import { startTmux } from "../e2e/tmux_session.ts";

const MAIN = new URL("../../src/demo/main.ts", import.meta.url).pathname;

Deno.test("the demo's TUI shows four bittorrent-ts peers; q quits and cleans up", async () => {
  // Wide enough for the peer table's Client column.
  const tmux = await startTmux(
    `'${Deno.execPath()}' run -A '${MAIN}' --size-mb 16 --seconds 20; echo "EXIT=$?"; exec sleep 60`,
    { columns: 160, rows: 45 },
  );
  try {
    const screen = await tmux.waitForScreen(
      (s) => (s.match(/bittorrent-ts 0\.\d/g) ?? []).length >= 4,
      20_000,
      "four bittorrent-ts peers in the peer table",
    );
    assert.match(screen.split("\n")[0], /^ demo album .*downloading.* 4 peers/);
    assert.match(screen, /Peers 4/);
    assert.match(screen, /╭─ Pieces \d+\/\d+/);
    assert.match(screen, /06 - Seeding \(reprise\)\.flac/);
    // The partial peers have only part of the album.
    assert.match(screen, /bittorrent-ts 0\.\S* +D U? .* ([1-9]|[1-9]\d)% /);

    await tmux.sendKeys("q");
    const after = await tmux.waitForScreen((s) => /EXIT=\d+/.test(s), 15_000, "the demo to exit");
    assert.match(after, /EXIT=0/);
    const root = /demo: stopped; removed (\S+)/.exec(after)?.[1];
    assert.ok(root, after);
    await assert.rejects(Deno.stat(root), Deno.errors.NotFound);
    assert.equal(await tmux.format("#{alternate_on}"), "0");
  } finally {
    await tmux.kill();
  }
});
