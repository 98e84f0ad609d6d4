import assert from "node:assert/strict";
import { textWidth, wrapCells } from "../../tui/text.ts";

Deno.test("wrapCells cuts anywhere into lines of at most the width, losing nothing", () => {
  const url = "http://127.0.0.1:8888/0/hls/index.m3u8";
  const lines = wrapCells(url, 20);
  assert.deepEqual(lines, ["http://127.0.0.1:888", "8/0/hls/index.m3u8"]);
  assert.equal(lines.join(""), url);
  assert.deepEqual(wrapCells("abc", 10), ["abc"]);
  assert.deepEqual(wrapCells("", 10), [""]);
  assert.deepEqual(wrapCells("abc", 0), []);
});

Deno.test("wrapCells never splits a wide character across lines", () => {
  const lines = wrapCells("ab字幕cd", 3);
  assert.deepEqual(lines, ["ab", "字", "幕c", "d"]);
  for (const line of lines) assert.ok(textWidth(line) <= 3, line);
});
