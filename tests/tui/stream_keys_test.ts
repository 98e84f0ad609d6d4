import assert from "node:assert/strict";
import type { TorrentSnapshot } from "../../src/torrent/snapshot.ts";
import { type Key, KeyDecoder } from "../../tui/keys.ts";
import { handleKey, initialUiState, type KeyResult, type UiState } from "../../tui/ui_state.ts";
import { fixtureSnapshot, STREAM_URL, streamingSnapshot } from "./fixtures.ts";

const SIZE = { columns: 160, rows: 50 };
const FILES: UiState = { ...initialUiState(1), focus: "files" };

function press(ui: UiState, input: string, snap: TorrentSnapshot): KeyResult {
  const d = new KeyDecoder();
  const keys: Key[] = [...d.feed(new TextEncoder().encode(input)), ...d.flush()];
  let result: KeyResult = { state: ui };
  for (const key of keys) result = handleKey(result.state, key, { snapshots: [snap], size: SIZE });
  return result;
}

Deno.test("o opens the selected file by its metainfo index, not its row", () => {
  const snap = streamingSnapshot();
  const first = press(FILES, "o", snap);
  assert.deepEqual(first.command, { type: "open", torrent: 0, file: 2 });
  assert.deepEqual(first.state.message, {
    tone: "info",
    text: "opening Episode 1.mkv in the player",
  });
  assert.deepEqual(press(FILES, "jo", snap).command, { type: "open", torrent: 0, file: 0 });
});

Deno.test("o says why it does nothing: no --stream, not media, not in the files panel", () => {
  const off = press(FILES, "o", fixtureSnapshot());
  assert.equal(off.command, undefined);
  assert.deepEqual(off.state.message, { tone: "warn", text: "start with --stream to play files" });
  const notes = press(FILES, "jjo", streamingSnapshot());
  assert.equal(notes.command, undefined);
  assert.equal(notes.state.message?.text, "notes.txt is not a video or audio file");
  const peers = press(initialUiState(1), "o", streamingSnapshot());
  assert.equal(peers.command, undefined);
  assert.match(peers.state.message?.text ?? "", /Tab to the Files panel/);
  const empty = press(FILES, "o", streamingSnapshot({}, { files: [] }));
  assert.equal(empty.command, undefined);
  assert.equal(empty.state.message?.text, "no file list yet");
});

Deno.test("u copies the selected file's HLS URL and shows it", () => {
  const r = press(FILES, "ju", streamingSnapshot());
  const url = `${STREAM_URL}0/hls/index.m3u8`;
  assert.deepEqual(r.command, { type: "copy", text: url });
  assert.equal(r.state.message?.tone, "info");
  assert.equal(r.state.message?.url, url);
  assert.match(r.state.message?.text ?? "", /^HLS of theme\.flac .*OSC 52/);
});

Deno.test("u says why there is no HLS URL", () => {
  const why = (snap: TorrentSnapshot, keys = "u") => {
    const r = press(FILES, keys, snap);
    assert.equal(r.command, undefined);
    assert.equal(r.state.message?.tone, "warn");
    return r.state.message?.text;
  };
  assert.equal(why(fixtureSnapshot()), "start with --stream to get HLS URLs");
  assert.equal(
    why(streamingSnapshot({ hlsUrls: undefined })),
    "no HLS: ffmpeg was not found (o plays the file directly)",
  );
  assert.equal(why(streamingSnapshot(), "jju"), "no HLS for notes.txt: not a video or audio file");
  assert.equal(
    why(streamingSnapshot({ hlsUrls: { 2: `${STREAM_URL}2/hls/index.m3u8` } }), "ju"),
    "no HLS for theme.flac from the stream server",
  );
});

Deno.test("the next key dismisses a message; q still quits with one shown", () => {
  const shown = press(FILES, "o", fixtureSnapshot()).state;
  assert.ok(shown.message);
  const moved = press(shown, "j", fixtureSnapshot()).state;
  assert.equal(moved.message, undefined);
  assert.equal(moved.files.row, 1);
  assert.equal(press(shown, "?", fixtureSnapshot()).state.message, undefined);
  assert.deepEqual(press(shown, "q", fixtureSnapshot()).command, { type: "quit" });
});
