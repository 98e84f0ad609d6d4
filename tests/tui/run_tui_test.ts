import assert from "node:assert/strict";
import type { FilePriority, TorrentSnapshot } from "../../src/torrent/snapshot.ts";
import type { Size } from "../../tui/layout.ts";
import { runTui } from "../../tui/run_tui.ts";
import { osc52Copy } from "../../tui/osc52.ts";
import { ENTER_SEQUENCE, LEAVE_SEQUENCE, ScreenSession } from "../../tui/screen_session.ts";
import type { TerminalIo } from "../../tui/terminal_io.ts";
import type { TorrentControl } from "../../tui/torrent_control.ts";
import { fixtureSnapshot, STREAM_URL, streamingSnapshot } from "./fixtures.ts";
import { xtermScreen } from "./xterm_screen.ts";

/** A terminal that records output and lets the test type, resize and send signals. */
class FakeTerminal implements TerminalIo {
  output = "";
  rawModes: boolean[] = [];
  inputStopped = false;
  current: Size;
  #onBytes?: (bytes: Uint8Array) => void;
  #onResize?: () => void;
  #onTerminate?: () => void;

  constructor(size: Size) {
    this.current = size;
  }
  write(text: string) {
    this.output += text;
  }
  size() {
    return this.current;
  }
  setRaw(raw: boolean) {
    this.rawModes.push(raw);
  }
  startInput(onBytes: (bytes: Uint8Array) => void) {
    this.#onBytes = onBytes;
    return () => {
      this.inputStopped = true;
    };
  }
  onResize(listener: () => void) {
    this.#onResize = listener;
    return () => (this.#onResize = undefined);
  }
  onTerminate(listener: () => void) {
    this.#onTerminate = listener;
    return () => (this.#onTerminate = undefined);
  }
  type(text: string) {
    this.#onBytes?.(new TextEncoder().encode(text));
  }
  resize(size: Size) {
    this.current = size;
    this.#onResize?.();
  }
  terminate() {
    this.#onTerminate?.();
  }
  /** What the screen shows now, per a terminal emulator. */
  async lines(): Promise<string[]> {
    const screen = xtermScreen(this.current.columns, this.current.rows);
    // Replay only since the last full clear: earlier frames were for another size.
    const last = this.output.lastIndexOf("\x1b[2J");
    await screen.write(this.output.slice(last));
    const lines = screen.lines();
    screen.dispose();
    return lines;
  }
}

class FakeControl implements TorrentControl {
  calls: string[] = [];
  polls = 0;
  constructor(public snap: TorrentSnapshot, public fail = false) {}
  snapshot() {
    this.polls++;
    if (this.fail) throw new Error("engine exploded");
    return this.snap;
  }
  pause() {
    this.calls.push("pause");
    this.snap = { ...this.snap, state: "paused" };
  }
  resume() {
    this.calls.push("resume");
  }
  setFilePriority(file: number, priority: FilePriority) {
    this.calls.push(`priority ${file} ${priority}`);
  }
}

/** A torrent with a stream server: it can start a player. */
class PlayerControl extends FakeControl {
  openInPlayer(file: number) {
    this.calls.push(`open ${file}`);
  }
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** The bottom line (hints or a message) of a 50-row screen, without trailing blanks. */
const bottom = async (io: FakeTerminal) => (await io.lines())[49].trimEnd();

Deno.test("runs, reacts to keys, and restores the terminal on q", async () => {
  const io = new FakeTerminal({ columns: 120, rows: 30 });
  const control = new FakeControl(fixtureSnapshot());
  const done = runTui([control], { io, colorLevel: "ansi256", refreshHz: 1 });
  assert.ok(io.output.startsWith(ENTER_SEQUENCE));
  assert.match((await io.lines())[0], /example-distro-1\.0\.iso {2}▼ downloading/);
  io.type("p");
  assert.deepEqual(control.calls, ["pause"]);
  assert.match((await io.lines())[0], /‖ paused/);
  io.type("\t\t\t+");
  assert.deepEqual(control.calls, ["pause", "priority 0 high"]);
  io.type("q");
  assert.deepEqual(await done, { reason: "quit" });
  assert.ok(io.output.endsWith(LEAVE_SEQUENCE));
  assert.deepEqual(io.rawModes, [true, false]);
  assert.equal(io.inputStopped, true);
});

Deno.test("Ctrl+C quits like q", async () => {
  const io = new FakeTerminal({ columns: 80, rows: 24 });
  const done = runTui([new FakeControl(fixtureSnapshot())], { io, colorLevel: "none" });
  io.type("\x03");
  assert.deepEqual(await done, { reason: "quit" });
  assert.ok(io.output.endsWith(LEAVE_SEQUENCE));
});

Deno.test("a resize redraws at the new size at once", async () => {
  const io = new FakeTerminal({ columns: 120, rows: 30 });
  const done = runTui([new FakeControl(fixtureSnapshot())], { io, refreshHz: 1 });
  io.resize({ columns: 30, rows: 6 });
  assert.deepEqual((await io.lines()).slice(0, 2), [
    "example-distro-1.0.iso",
    "▼ downloading 50.0%",
  ]);
  io.resize({ columns: 90, rows: 24 });
  assert.match((await io.lines())[23], /\? help/);
  io.type("q");
  await done;
});

Deno.test("polls snapshots on its own timer", async () => {
  const io = new FakeTerminal({ columns: 80, rows: 24 });
  const control = new FakeControl(fixtureSnapshot());
  const done = runTui([control], { io, refreshHz: 25 });
  await tick(300);
  assert.ok(control.polls >= 4, `polled ${control.polls} times`);
  io.type("q");
  await done;
});

Deno.test("SIGTERM/SIGINT/SIGHUP and the abort signal end it with a reason", async () => {
  const io = new FakeTerminal({ columns: 80, rows: 24 });
  const bySignal = runTui([new FakeControl(fixtureSnapshot())], { io });
  io.terminate();
  assert.deepEqual(await bySignal, { reason: "signal" });
  assert.ok(io.output.endsWith(LEAVE_SEQUENCE));

  const io2 = new FakeTerminal({ columns: 80, rows: 24 });
  const abort = new AbortController();
  const byAbort = runTui([new FakeControl(fixtureSnapshot())], { io: io2, signal: abort.signal });
  abort.abort();
  assert.deepEqual(await byAbort, { reason: "aborted" });
  assert.deepEqual(io2.rawModes, [true, false]);

  const io3 = new FakeTerminal({ columns: 80, rows: 24 });
  const pre = await runTui([], { io: io3, signal: AbortSignal.abort() });
  assert.deepEqual(pre, { reason: "aborted" });
  assert.equal(io3.output, "");
});

Deno.test("an error while running rejects with the terminal restored", async () => {
  const io = new FakeTerminal({ columns: 80, rows: 24 });
  const control = new FakeControl(fixtureSnapshot());
  const done = runTui([control], { io, refreshHz: 30 });
  control.fail = true;
  await assert.rejects(done, /engine exploded/);
  assert.ok(io.output.endsWith(LEAVE_SEQUENCE));
  assert.deepEqual(io.rawModes, [true, false]);
});

Deno.test("a lone Esc (after a pause) goes back to the torrent list", async () => {
  const io = new FakeTerminal({ columns: 100, rows: 24 });
  const two = [
    new FakeControl(fixtureSnapshot()),
    new FakeControl(fixtureSnapshot({ name: "other.iso" })),
  ];
  const done = runTui(two, { io, refreshHz: 1 });
  assert.match((await io.lines())[0], /2 torrents/);
  io.type("\r");
  assert.match((await io.lines())[0], /example-distro/);
  io.type("\x1b");
  await tick(80);
  assert.match((await io.lines())[0], /2 torrents/);
  io.type("q");
  await done;
});

Deno.test("the screen session restores on process exit events, once", () => {
  const io = new FakeTerminal({ columns: 80, rows: 24 });
  const session = new ScreenSession(io);
  session.enter();
  globalThis.dispatchEvent(new Event("unload"));
  assert.ok(io.output.endsWith(LEAVE_SEQUENCE));
  session.restore();
  assert.equal(io.output.split(LEAVE_SEQUENCE).length, 2);
  assert.deepEqual(io.rawModes, [true, false]);
});

Deno.test("o plays the selected file by its metainfo index; u copies its HLS URL by OSC 52", async () => {
  const io = new FakeTerminal({ columns: 160, rows: 50 });
  const control = new PlayerControl(streamingSnapshot());
  const done = runTui([control], { io, refreshHz: 1 });
  io.type("\t\t\tj"); // the files panel, second row: show/theme.flac, file 0
  io.type("o");
  assert.deepEqual(control.calls, ["open 0"]);
  assert.equal(await bottom(io), " ● opening theme.flac in the player");
  const before = io.output.length;
  io.type("u");
  const url = `${STREAM_URL}0/hls/index.m3u8`;
  const written = io.output.slice(before);
  assert.ok(written.includes(`\x1b]52;c;${btoa(url)}\x07`), JSON.stringify(written));
  assert.ok(written.includes(osc52Copy(url)));
  assert.match(await bottom(io), new RegExp(`HLS of theme\\.flac .*: ${url}$`));
  io.type("q");
  await done;
});

Deno.test("without a stream, o and u only say so; nothing is opened or copied", async () => {
  const io = new FakeTerminal({ columns: 160, rows: 50 });
  const control = new PlayerControl(fixtureSnapshot());
  const done = runTui([control], { io, refreshHz: 1 });
  io.type("\t\t\to");
  assert.equal(await bottom(io), " ! start with --stream to play files");
  io.type("u");
  assert.equal(await bottom(io), " ! start with --stream to get HLS URLs");
  assert.deepEqual(control.calls, []);
  assert.ok(!io.output.includes("\x1b]52;"));
  io.type("q");
  await done;

  // A stream in the snapshot but a torrent that cannot start a player.
  const io2 = new FakeTerminal({ columns: 160, rows: 50 });
  const done2 = runTui([new FakeControl(streamingSnapshot())], { io: io2, refreshHz: 1 });
  io2.type("\t\t\to");
  assert.equal(await bottom(io2), " ! start with --stream to play files");
  io2.type("q");
  await done2;
});

Deno.test("messages go after 5 s, or 30 s when they carry a URL", async () => {
  let clock = 1_000_000;
  const io = new FakeTerminal({ columns: 160, rows: 50 });
  const done = runTui([new PlayerControl(streamingSnapshot())], {
    io,
    refreshHz: 30,
    now: () => clock,
  });
  io.type("\t\t\tjjo"); // notes.txt: not playable
  assert.match(await bottom(io), /notes\.txt is not a video or audio file/);
  clock += 4_999;
  await tick(100);
  assert.match(await bottom(io), /notes\.txt is not a video or audio file/);
  clock += 1;
  await tick(100);
  assert.match(await bottom(io), /^ \? help/);
  io.type("ku");
  assert.match(await bottom(io), /hls\/index\.m3u8$/);
  clock += 29_999;
  await tick(100);
  assert.match(await bottom(io), /hls\/index\.m3u8$/);
  clock += 1;
  await tick(100);
  assert.match(await bottom(io), /^ \? help/);
  io.type("q");
  await done;
});
