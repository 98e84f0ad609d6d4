/**
 * The TUI in a real terminal (tmux): our client downloads from a throttled libtorrent seeder
 * while the test reads the screen, presses keys and resizes the window, then quits and checks
 * that the terminal was given back and the resume file written.
 */
import assert from "node:assert/strict";
import { startLibtorrent } from "../support/libtorrent.ts";
import { makePayload, makeTorrent, multiFileSpec } from "../support/payload.ts";
import { startTmux } from "./tmux_session.ts";

const MOD = new URL("../../mod.ts", import.meta.url).pathname;

/** The percentage in the header's progress line ("… 42.1%   5.3 MiB / 12.6 MiB …"). */
function percent(screen: string): number | undefined {
  const m = /(\d{1,3}\.\d)%\s+[\d.]+ [KMG]?i?B \//.exec(screen);
  return m ? Number(m[1]) : undefined;
}

const lines = (screen: string) => screen.replace(/\n+$/, "").split("\n");

Deno.test("TUI in tmux: panels, live progress, help, resize, quit restores the terminal and saves resume data", async () => {
  const dir = await Deno.makeTempDir();
  // ~12.8 MB at 1.2 MB/s: about ten seconds of download, so progress shows between captures.
  const payload = await makePayload(`${dir}/seed`, multiFileSpec("album", 8, 6));
  const torrent = await makeTorrent(payload.root, { pieceLength: 65536, out: `${dir}/a.torrent` });
  const seed = await startLibtorrent({
    torrent: torrent.path,
    dir: `${dir}/seed`,
    mode: "seed",
    uploadRateLimit: 1_200_000,
  });
  // After the client exits: its status, whether the tty is back in cooked mode with echo, and
  // a pause so the pane is alive for the cursor check (tmux hides a dead pane's cursor).
  const command = `'${Deno.execPath()}' run -A '${MOD}' '${torrent.path}' --out '${dir}/dl' ` +
    `--port 0 --peer 127.0.0.1:${seed.port}; echo "EXIT=$?"; ` +
    `echo "TTY=$(stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' ')"; ` +
    `exec sleep 60`;
  const tmux = await startTmux(command, { columns: 120, rows: 40 });
  try {
    // 1. Every panel, in the wide layout.
    const first = await tmux.waitForScreen(
      (s) => s.includes(`127.0.0.1:${seed.port}`) && (percent(s) ?? 0) > 0,
      20_000,
      "the TUI with the libtorrent peer and some progress",
    );
    const rows = lines(first);
    assert.match(rows[0], /^ album .*downloading/, "header: name and state");
    assert.match(first, /Peers 1/);
    assert.match(first, /╭─ Pieces \d+\/\d+/, "piece map");
    assert.match(first, /Files 5 /);
    assert.match(first, /cover\.jpg/);
    assert.match(first, /disc 1/);
    // Wide layout: the piece map sits beside the peers, on the same row.
    assert.ok(rows.some((r) => /^┏━ Peers .*┓╭─ Pieces/.test(r)), first);
    assert.equal(await tmux.format("#{alternate_on}"), "1");

    // 2. Progress advances between two captures.
    const before = percent(first)!;
    assert.ok(before < 100, `already done at the first capture:\n${first}`);
    await tmux.waitForScreen(
      (s) => (percent(s) ?? 0) > before,
      5000,
      `progress beyond ${before}%`,
    );

    // 3. The help overlay opens with ? and closes with Esc.
    await tmux.sendKeys("?");
    await tmux.waitForScreen((s) => s.includes("show or hide this help"), 3000, "the help overlay");
    await tmux.sendKeys("Escape");
    await tmux.waitForScreen(
      (s) => !s.includes("show or hide this help") && s.includes("Peers 1"),
      3000,
      "the help overlay to close",
    );

    // 4. Resized to 80x24: the compact layout (piece map above a full-width peer table).
    await tmux.resize(80, 24);
    assert.equal(await tmux.format("#{window_width}x#{window_height}"), "80x24");
    const small = await tmux.waitForScreen(
      (s) => lines(s).some((r) => r.startsWith("╭─ Pieces")),
      3000,
      "the compact layout",
    );
    const smallRows = lines(small);
    assert.ok(smallRows.length <= 24, small);
    assert.ok(smallRows.every((r) => [...r].length <= 80), small);
    assert.ok(smallRows.some((r) => /^┏━ Peers 1 ━+┓$/.test(r) && [...r].length === 80), small);
    assert.match(small, /libtorrent 2\.\d/, "the peer's client in the peer table");
    assert.match(smallRows[0], /^ album /);

    // 5. q quits with status 0 and gives the terminal back.
    await tmux.sendKeys("q");
    const after = await tmux.waitForScreen((s) => /TTY=/.test(s), 15_000, "the client to exit");
    assert.match(after, /EXIT=0\n/);
    assert.match(after, /TTY=icanon echo/, "the tty is back in cooked mode with echo");
    assert.equal(await tmux.format("#{alternate_on}"), "0", "back on the main screen");
    assert.equal(await tmux.format("#{cursor_flag}"), "1", "cursor shown");
    assert.match(after, /listening for peers on port \d+/);
    assert.match(after, /totals: album downloaded=\d+/);
    assert.doesNotMatch(after, /Peers 1|╭─ Pieces/, "no TUI left on the main screen");

    // 6. Quitting saved the resume file, naming the pieces it got.
    const resume = JSON.parse(
      await Deno.readTextFile(`${dir}/dl/.${torrent.infoHashHex}.resume`),
    );
    assert.equal(resume.infoHash, torrent.infoHashHex);
    assert.ok(resume.have.length > 0);
  } finally {
    await tmux.kill();
    await seed.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
