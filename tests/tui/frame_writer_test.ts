import assert from "node:assert/strict";
import { CellBuffer } from "../../tui/cell_buffer.ts";
import { FrameWriter } from "../../tui/frame_writer.ts";
import { normalizeStyle } from "../../tui/sgr.ts";
import { palette, PLAIN, type Style, style, styleAttrs, styleFg } from "../../tui/style.ts";
import { Attr } from "../../tui/style.ts";
import { type XtermScreen, xtermScreen } from "./xterm_screen.ts";

const STYLES: Style[] = [
  PLAIN,
  style({ bold: true }),
  style({ fg: palette(114) }),
  style({ fg: palette(2), bold: true }),
  style({ fg: palette(75), bg: palette(237) }),
  style({ reverse: true }),
];
const GLYPHS = [" ", "a", "b", "7", "█", "▃", "中", "文", "é", "─"];

function assertScreenMatches(screen: XtermScreen, buf: CellBuffer, label: string) {
  for (let y = 0; y < buf.height; y++) {
    for (let x = 0; x < buf.width; x++) {
      const i = y * buf.width + x;
      const cell = screen.cell(x, y);
      const want = buf.chars[i];
      const where = `${label} at ${x},${y}`;
      if (want === "") {
        assert.equal(cell.width, 0, where);
        continue;
      }
      assert.equal(cell.chars === "" ? " " : cell.chars, want, where);
      if (want === " ") continue;
      const s = normalizeStyle(buf.styles[i] as Style, "ansi256");
      assert.equal(cell.bold, (styleAttrs(s) & Attr.Bold) !== 0, `bold ${where}`);
      assert.equal(cell.inverse, (styleAttrs(s) & Attr.Reverse) !== 0, `reverse ${where}`);
      const fg = styleFg(s);
      assert.equal(cell.fgDefault, fg === undefined, `fg default ${where}`);
      if (fg !== undefined) assert.equal(cell.fg, fg, `fg ${where}`);
    }
  }
}

Deno.test("random frame sequences reproduce exactly in a real terminal emulator", async () => {
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const W = 23;
  const H = 7;
  const screen = xtermScreen(W, H);
  const writer = new FrameWriter("ansi256");
  let buf = new CellBuffer(W, H);
  for (let frame = 0; frame < 60; frame++) {
    const next = new CellBuffer(W, H);
    next.chars.splice(0, next.chars.length, ...buf.chars);
    next.styles.set(buf.styles);
    const edits = frame === 0 ? 200 : rand(25);
    for (let e = 0; e < edits; e++) {
      const g = GLYPHS[rand(GLYPHS.length)];
      next.set(rand(W), rand(H), g, g === "中" || g === "文" ? 2 : 1, STYLES[rand(STYLES.length)]);
    }
    if (frame % 10 === 9) next.restyle({ x: rand(W), y: rand(H), width: 5, height: 2 }, STYLES[4]);
    await screen.write(writer.frame(next));
    assertScreenMatches(screen, next, `frame ${frame}`);
    buf = next;
  }
  screen.dispose();
});

Deno.test("an unchanged frame writes nothing; one changed number writes a few bytes", () => {
  const writer = new FrameWriter("ansi256");
  const a = new CellBuffer(160, 50);
  for (let y = 0; y < 50; y++) a.text(0, y, `row ${y} `.repeat(20), STYLES[y % STYLES.length]);
  writer.frame(a);
  const b = new CellBuffer(160, 50);
  b.chars.splice(0, b.chars.length, ...a.chars);
  b.styles.set(a.styles);
  assert.equal(writer.frame(b), "");
  const c = new CellBuffer(160, 50);
  c.chars.splice(0, c.chars.length, ...b.chars);
  c.styles.set(b.styles);
  c.text(80, 20, "9.9", STYLES[2]);
  const out = writer.frame(c);
  assert.ok(out.length < 30, `wrote ${JSON.stringify(out)}`);
  assert.ok(out.startsWith("\x1b[21;81H"));
});

Deno.test("a resize or invalidate clears and redraws the whole screen", () => {
  const writer = new FrameWriter("none");
  const a = new CellBuffer(10, 2);
  a.text(0, 0, "hello");
  writer.frame(a);
  writer.invalidate();
  assert.ok(writer.frame(a).startsWith("\x1b[0m\x1b[H\x1b[2J"));
  assert.ok(writer.frame(new CellBuffer(12, 2)).includes("\x1b[2J"));
});

Deno.test("NO_COLOR output has no colour codes but keeps bold and reverse", () => {
  const writer = new FrameWriter("none");
  const buf = new CellBuffer(20, 1);
  buf.text(0, 0, "ok", style({ fg: palette(114), bold: true }));
  buf.text(3, 0, "sel", style({ bg: palette(237), monoReverse: true }));
  const out = writer.frame(buf);
  // deno-lint-ignore no-control-regex
  assert.ok(!/\x1b\[[0-9;]*(3[0-9]|4[0-9]|9[0-7]|10[0-7])[;m]/.test(out), JSON.stringify(out));
  assert.ok(out.includes("\x1b[1m"));
  assert.ok(out.includes("7m"));
});
