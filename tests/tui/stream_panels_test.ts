import assert from "node:assert/strict";
import { torrentLayout } from "../../tui/layout.ts";
import { mediaMark } from "../../tui/panels/files.ts";
import { msText, seekText } from "../../tui/panels/stream_status.ts";
import { fixtureSnapshot, STREAM_URL, streamingSnapshot } from "./fixtures.ts";
import { findLine, showScreen } from "./screen_helpers.ts";
import type { XtermScreen } from "./xterm_screen.ts";

const WIDE = { columns: 160, rows: 50 };

/** The bottom edge of the files panel in the wide layout. */
function filesBottom(screen: XtermScreen): string {
  const layout = torrentLayout(WIDE);
  if (layout.kind !== "full") throw new Error("expected the full layout");
  const r = layout.panels.files;
  return screen.line(r.y + r.height - 1).slice(r.x, r.x + r.width);
}

Deno.test("header: seek latency, streams and the server URL after the download figures", async () => {
  const screen = await showScreen([streamingSnapshot()], WIDE);
  const line = screen.line(1);
  assert.match(
    line,
    /50\.0% {3}4\.0 MiB \/ 8\.0 MiB {3}ETA 3m05s {3}▸ seek 42 ms, median 55 ms {3}2 streams {3}http:\/\/127\.0\.0\.1:8888\/ $/,
  );
  // The latest seek is the figure to read: bold, like the other headline figures.
  const at = line.indexOf("42 ms");
  assert.equal(screen.cell(at, 1).bold, true);
  assert.equal(screen.cell(line.indexOf("seek"), 1).bold, false);
  screen.dispose();
});

Deno.test("header: a dash before the first seek, and the latency outlives the URL on 80 columns", async () => {
  const idle = streamingSnapshot({
    lastSeekMs: undefined,
    medianSeekMs: undefined,
    activeStreams: 0,
  });
  const wide = await showScreen([idle], WIDE);
  assert.match(wide.line(1), /▸ seek – {3}0 streams {3}http:\/\/127\.0\.0\.1:8888\/ $/);
  wide.dispose();
  const narrow = await showScreen([streamingSnapshot()], { columns: 80, rows: 24 });
  assert.match(narrow.line(1), /▸ seek 42 ms, median 55 ms $/);
  assert.ok(!narrow.line(1).includes("http://"));
  narrow.dispose();
  const none = await showScreen([fixtureSnapshot()], WIDE);
  assert.ok(!none.line(1).includes("seek"));
  none.dispose();
});

Deno.test("seek figures: tenths below 10 ms, whole ms above", () => {
  assert.equal(msText(3.25), "3.3 ms");
  assert.equal(msText(42.3), "42 ms");
  assert.equal(msText(undefined), "–");
  assert.equal(seekText({}), "seek –");
  assert.equal(seekText({ lastSeekMs: 8 }), "seek 8.0 ms, median –");
});

Deno.test("files: video and audio files carry a mark in their own column", async () => {
  assert.equal(mediaMark("a/b.MKV"), "▸");
  assert.equal(mediaMark("theme.flac"), "♪");
  assert.equal(mediaMark("cover.jpg"), "");
  assert.equal(mediaMark("subs.srt"), "");
  const screen = await showScreen([streamingSnapshot()], WIDE);
  const column = (path: string) => {
    const y = findLine(screen, path);
    const x = screen.line(y).indexOf(path);
    return screen.line(y).slice(x - 2, x);
  };
  assert.equal(column("show/Episode 1.mkv"), "▸ ");
  assert.equal(column("show/theme.flac"), "♪ ");
  assert.equal(column("show/notes.txt"), "  ");
  // The mark does not push the other columns: sizes still line up.
  const sizeEnd = (path: string) => screen.line(findLine(screen, path)).indexOf(" MiB");
  assert.equal(sizeEnd("show/Episode 1.mkv"), sizeEnd("show/notes.txt"));
  screen.dispose();
});

Deno.test("files: the focused panel shows the selected file's stream URL in its edge", async () => {
  const snap = streamingSnapshot();
  const first = await showScreen([snap], WIDE, { focus: "files" });
  assert.match(filesBottom(first), /^┗━ ▸ http:\/\/127\.0\.0\.1:8888\/2\/Episode%201\.mkv ━+┛$/);
  first.dispose();
  const second = await showScreen([snap], WIDE, { focus: "files", files: { row: 1, scroll: 0 } });
  assert.ok(filesBottom(second).includes(`▸ ${STREAM_URL}0/theme.flac `));
  second.dispose();
  // Unfocused there is no selection, so no URL; without a stream the old footer stays.
  const unfocused = await showScreen([snap], WIDE);
  assert.ok(!filesBottom(unfocused).includes("http"));
  unfocused.dispose();
  const off = await showScreen([fixtureSnapshot()], WIDE, { focus: "files" });
  assert.match(filesBottom(off), / \+\/- priority ━┛$/);
  off.dispose();
});

Deno.test("hints: o and u show in the files panel while streaming", async () => {
  const on = await showScreen([streamingSnapshot()], WIDE, { focus: "files" });
  assert.match(on.line(49), /\+- priority {2}o play {2}u HLS URL {2}q quit/);
  on.dispose();
  const off = await showScreen([fixtureSnapshot()], WIDE, { focus: "files" });
  assert.ok(!off.line(49).includes("o play"));
  off.dispose();
});

Deno.test("a message with a URL replaces the hints, on one line when it fits", async () => {
  const url = `${STREAM_URL}2/hls/index.m3u8`;
  const message = { tone: "info" as const, text: "HLS of Episode 1.mkv:", url };
  const screen = await showScreen([streamingSnapshot()], WIDE, { focus: "files", message });
  assert.equal(screen.lines()[49], ` ● HLS of Episode 1.mkv: ${url}`);
  assert.ok(!screen.lines().join("\n").includes("q quit"));
  screen.dispose();
});

Deno.test("a URL too long for the screen wraps whole onto the lines above", async () => {
  const url = `${STREAM_URL}0123456789abcdef0123456789abcdef01234567/2/hls/index.m3u8`;
  const message = { tone: "info" as const, text: "HLS of Episode 1.mkv:", url };
  const size = { columns: 50, rows: 20 };
  const screen = await showScreen([streamingSnapshot()], size, { focus: "files", message });
  const lines = screen.lines();
  const first = lines.findIndex((l) => l.includes("HLS of Episode 1.mkv:"));
  assert.ok(first > 0 && first < 19, `message at ${first}`);
  const rest = lines.slice(first + 1).map((l) => l.trim());
  assert.ok(rest.length >= 2);
  assert.equal(rest.join(""), url);
  screen.dispose();
});

Deno.test("tiny screens and the torrent list show the seek latency too", async () => {
  const tiny = await showScreen([streamingSnapshot()], { columns: 30, rows: 8 });
  assert.ok(tiny.lines().includes("▸ seek 42 ms, median 55 ms"));
  tiny.dispose();
  const list = await showScreen(
    [streamingSnapshot(), streamingSnapshot({}, { name: "second.iso" })],
    { columns: 140, rows: 20 },
  );
  assert.match(list.line(0), /2 torrents .*▸ seek 42 ms, median 55 ms {3}2 streams {3}http:/);
  list.dispose();
});
