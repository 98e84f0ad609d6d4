import assert from "node:assert/strict";
import { detectColorLevel, normalizeStyle, sgrTransition, to16 } from "../../tui/sgr.ts";
import { palette, PLAIN, style } from "../../tui/style.ts";

const env = (vars: Record<string, string>) => ({ get: (k: string) => vars[k] });

Deno.test("colour level: NO_COLOR wins, then TERM and COLORTERM", () => {
  assert.equal(detectColorLevel(env({ NO_COLOR: "1", TERM: "xterm-256color" })), "none");
  assert.equal(detectColorLevel(env({ NO_COLOR: "", TERM: "xterm-256color" })), "ansi256");
  assert.equal(detectColorLevel(env({ TERM: "xterm", COLORTERM: "truecolor" })), "ansi256");
  assert.equal(detectColorLevel(env({ TERM: "xterm" })), "ansi16");
  assert.equal(detectColorLevel(env({ TERM: "dumb" })), "none");
});

Deno.test("256 colours degrade to a 16-colour hue, greys stay visible", () => {
  assert.equal(to16(114), 2); // soft green
  assert.equal(to16(167), 1); // soft red
  assert.equal(to16(179), 3); // gold
  assert.equal(to16(75), 14); // sky blue
  assert.equal(to16(240), 8); // dark grey is bright black, not black
  assert.equal(to16(9), 9);
});

Deno.test("transitions emit only what changes and reset when an attribute turns off", () => {
  const green = style({ fg: palette(114) });
  const boldGreen = style({ fg: palette(114), bold: true });
  assert.equal(sgrTransition(PLAIN, boldGreen), "\x1b[1;38;5;114m");
  assert.equal(sgrTransition(green, boldGreen), "\x1b[1m");
  assert.equal(sgrTransition(boldGreen, green), "\x1b[0;38;5;114m");
  assert.equal(sgrTransition(green, PLAIN), "\x1b[39m");
  assert.equal(sgrTransition(green, green), "");
  const sixteen = normalizeStyle(style({ fg: palette(75), bg: palette(237) }), "ansi16");
  assert.equal(sgrTransition(PLAIN, sixteen), "\x1b[96;100m");
  assert.equal(
    normalizeStyle(style({ bg: palette(237), monoReverse: true }), "none"),
    style({ reverse: true }),
  );
});
