import assert from "node:assert/strict";
import { CellBuffer } from "../../tui/cell_buffer.ts";
import { PLAIN, style } from "../../tui/style.ts";
import { fit, sanitize, textWidth, truncate } from "../../tui/text.ts";

Deno.test("text widths: ASCII, wide, combining, emoji, zero-width", () => {
  assert.equal(textWidth("abc"), 3);
  assert.equal(textWidth("中文"), 4);
  assert.equal(textWidth("e\u0301"), 1);
  assert.equal(textWidth("👍"), 2);
  assert.equal(textWidth("a\u200bb"), 2);
});

Deno.test("truncate and fit cut on cell widths, with an ellipsis", () => {
  assert.equal(truncate("hello world", 8), "hello w…");
  assert.equal(truncate("dir/sub/file.mkv", 10, "start"), "…/file.mkv");
  assert.equal(truncate("中文字幕", 5), "中文…");
  assert.equal(truncate("movies/big_buck_bunny.mkv", 12, "middle"), "movie…ny.mkv");
  assert.equal(textWidth(truncate("中文字幕中文字幕", 7, "middle")), 7);
  assert.equal(fit("中", 4, "right"), "  中");
  assert.equal(fit("ab", 4, "center"), " ab ");
  assert.equal(textWidth(fit("中文字幕", 5)), 5);
});

Deno.test("control characters from untrusted text never reach the screen", () => {
  assert.equal(sanitize("a\x1b[2J\x07\x9bb"), "a\uFFFD[2J\uFFFD\uFFFDb");
  const buf = new CellBuffer(10, 1);
  buf.text(0, 0, "x\x1b[31my");
  assert.ok(!buf.chars.includes("\x1b"));
  assert.equal(buf.line(0).trimEnd(), "x\uFFFD[31my");
});

Deno.test("a wide character takes two cells and is clipped, not split, at the edge", () => {
  const buf = new CellBuffer(5, 1);
  assert.equal(buf.text(0, 0, "a中b中"), 4);
  assert.deepEqual(buf.chars, ["a", "中", "", "b", " "]);
  buf.text(4, 0, "中");
  assert.equal(buf.chars[4], " ");
  const narrow = new CellBuffer(5, 1);
  narrow.set(4, 0, "中", 2, PLAIN);
  assert.equal(narrow.chars[4], " ");
});

Deno.test("overwriting half of a wide character blanks the other half", () => {
  const buf = new CellBuffer(6, 1);
  buf.text(0, 0, "中文中");
  buf.text(1, 0, "x");
  assert.deepEqual(buf.chars, [" ", "x", "文", "", "中", ""]);
  buf.text(2, 0, "y");
  assert.deepEqual(buf.chars, [" ", "x", "y", " ", "中", ""]);
  buf.set(3, 0, "字", 2, PLAIN);
  assert.deepEqual(buf.chars, [" ", "x", "y", "字", "", " "]);
});

Deno.test("text stops at maxWidth and drops zero-width graphemes", () => {
  const buf = new CellBuffer(10, 2);
  const bold = style({ bold: true });
  assert.equal(buf.text(1, 1, "abcdef", bold, 3), 3);
  assert.equal(buf.line(1), " abc      ");
  assert.equal(buf.styles[11], bold);
  assert.equal(buf.text(0, 0, "\u200b"), 0);
  assert.equal(buf.text(0, 5, "offscreen"), 0);
});
