import assert from "node:assert/strict";
import type { TorrentSnapshot } from "../../src/torrent/snapshot.ts";
import { type Key, KeyDecoder } from "../../tui/keys.ts";
import { handleKey, initialUiState, type UiCommand, type UiState } from "../../tui/ui_state.ts";
import { fixtureSnapshot, peer } from "./fixtures.ts";

const SIZE = { columns: 160, rows: 50 };

function press(
  ui: UiState,
  input: string,
  snapshots: readonly TorrentSnapshot[] = [fixtureSnapshot()],
): { ui: UiState; commands: UiCommand[] } {
  const d = new KeyDecoder();
  const keys: Key[] = [...d.feed(new TextEncoder().encode(input)), ...d.flush()];
  const commands: UiCommand[] = [];
  for (const key of keys) {
    const r = handleKey(ui, key, { snapshots, size: SIZE });
    ui = r.state;
    if (r.command) commands.push(r.command);
  }
  return { ui, commands };
}

Deno.test("Tab, Shift+Tab, arrows and h/l move focus around the panels", () => {
  const ui = initialUiState(1);
  assert.equal(ui.focus, "peers");
  assert.equal(press(ui, "\t").ui.focus, "pieces");
  assert.equal(press(ui, "\t\t\t").ui.focus, "files");
  assert.equal(press(ui, "\x1b[Z").ui.focus, "trackers");
  assert.equal(press(ui, "l\x1b[C").ui.focus, "rates");
  assert.equal(press(ui, "h").ui.focus, "trackers");
});

Deno.test("q and Ctrl+C quit, also with help open", () => {
  assert.deepEqual(press(initialUiState(1), "q").commands, [{ type: "quit" }]);
  assert.deepEqual(press(initialUiState(1), "\x03").commands, [{ type: "quit" }]);
  assert.deepEqual(press({ ...initialUiState(1), help: true }, "q").commands, [{ type: "quit" }]);
});

Deno.test("? toggles help; Esc closes it; other keys do nothing while it is open", () => {
  const open = press(initialUiState(1), "?").ui;
  assert.equal(open.help, true);
  assert.equal(press(open, "\t").ui.focus, "peers");
  assert.equal(press(open, "?").ui.help, false);
  assert.equal(press(open, "\x1b").ui.help, false);
});

Deno.test("p pauses a running torrent and resumes a paused one", () => {
  assert.deepEqual(press(initialUiState(1), "p").commands, [{ type: "pause", torrent: 0 }]);
  const paused = [fixtureSnapshot({ state: "paused" })];
  assert.deepEqual(press(initialUiState(1), "p", paused).commands, [{
    type: "resume",
    torrent: 0,
  }]);
});

Deno.test("s cycles the peer sort key", () => {
  const keys = [];
  let ui = initialUiState(1);
  for (let i = 0; i < 6; i++) {
    keys.push(ui.peerSort);
    ui = press(ui, "s").ui;
  }
  assert.deepEqual(keys, ["down", "up", "progress", "requests", "client", "address"]);
  assert.equal(ui.peerSort, "down");
});

Deno.test("+ and - step the selected file's priority and stop at the ends", () => {
  const files = { ...initialUiState(1), focus: "files" as const };
  assert.deepEqual(press(files, "+").commands, [
    { type: "priority", torrent: 0, file: 0, priority: "high" },
  ]);
  assert.deepEqual(press(files, "-").commands, [
    { type: "priority", torrent: 0, file: 0, priority: "low" },
  ]);
  const second = press(files, "j").ui;
  assert.equal(second.files.row, 1);
  assert.deepEqual(press(second, "-").commands, []); // already "skip"
  assert.deepEqual(press(second, "+").commands, [
    { type: "priority", torrent: 0, file: 1, priority: "low" },
  ]);
  assert.deepEqual(press(initialUiState(1), "+").commands, []); // files not focused
});

Deno.test("the peer selection follows the peer when the order changes", () => {
  const ui = press(initialUiState(1), "j").ui; // second fastest: 10.0.0.3
  assert.equal(ui.peerAddress, "10.0.0.3:51413");
  const reordered = fixtureSnapshot({
    peers: [
      peer({ address: "10.0.0.3:51413", downRate: 9000 }),
      peer({ address: "10.0.0.2:6881", downRate: 10 }),
    ],
  });
  const next = press(ui, "j", [reordered]).ui;
  assert.equal(next.peerAddress, "10.0.0.2:6881");
  assert.equal(press(next, "G", [reordered]).ui.peers.row, 1);
  assert.equal(press(next, "g", [reordered]).ui.peers.row, 0);
});

Deno.test("selection moves clamp and scroll keeps the selection visible", () => {
  const many = fixtureSnapshot({
    peers: Array.from(
      { length: 100 },
      (_, i) => peer({ address: `10.1.0.${i}:1`, downRate: 1000 - i }),
    ),
  });
  let ui = initialUiState(1);
  ui = press(ui, "k", [many]).ui;
  assert.equal(ui.peers.row, 0);
  ui = press(ui, "\x1b[6~\x1b[6~", [many]).ui;
  assert.ok(ui.peers.row > 30);
  assert.ok(ui.peers.scroll > 0 && ui.peers.scroll <= ui.peers.row);
  ui = press(ui, "G", [many]).ui;
  assert.equal(ui.peers.row, 99);
});

Deno.test("the trackers panel scrolls the log back and forward", () => {
  const ui = { ...initialUiState(1), focus: "trackers" as const };
  assert.equal(press(ui, "k").ui.logBack, 1);
  assert.equal(press(ui, "kkkk").ui.logBack, 1); // two log lines: at most one back
  assert.equal(press(press(ui, "k").ui, "j").ui.logBack, 0);
});

Deno.test("several torrents: list, Enter opens, Esc/Backspace go back", () => {
  const two = [fixtureSnapshot(), fixtureSnapshot({ name: "b", state: "paused" })];
  let ui = initialUiState(2);
  assert.equal(ui.view, "list");
  ui = press(ui, "j", two).ui;
  assert.equal(ui.torrent, 1);
  assert.deepEqual(press(ui, "p", two).commands, [{ type: "resume", torrent: 1 }]);
  ui = press(ui, "\r", two).ui;
  assert.equal(ui.view, "torrent");
  assert.equal(press(ui, "\x1b", two).ui.view, "list");
  assert.equal(press(ui, "\x7f", two).ui.view, "list");
  // With one torrent there is no list to go back to.
  assert.equal(press(initialUiState(1), "\x1b").ui.view, "torrent");
});
