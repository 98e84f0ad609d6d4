import assert from "node:assert/strict";
import { osc52Copy } from "../../tui/osc52.ts";

const utf8 = new TextDecoder();

/** The text an OSC 52 "set clipboard" sequence carries, or throws if it is not one. */
function clipboardText(sequence: string): string {
  const start = "\x1b]52;c;";
  const payload = sequence.slice(start.length, -1);
  if (
    !sequence.startsWith(start) || !sequence.endsWith("\x07") || !/^[A-Za-z0-9+/=]*$/.test(payload)
  ) {
    throw new Error(`not an OSC 52 copy: ${JSON.stringify(sequence)}`);
  }
  return utf8.decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
}

Deno.test("OSC 52: base64 of the text for the system clipboard, ended by BEL", () => {
  assert.equal(osc52Copy("hi"), "\x1b]52;c;aGk=\x07");
  const url = "http://127.0.0.1:8888/0/hls/index.m3u8";
  assert.equal(clipboardText(osc52Copy(url)), url);
});

Deno.test("OSC 52: non-ASCII text goes as UTF-8, and no control byte leaks through", () => {
  const text = "Sintel 字幕 ✓\x1b[2J";
  const seq = osc52Copy(text);
  assert.equal(clipboardText(seq), text);
  // Only the sequence's own ESC and BEL: the payload cannot end it early or start another.
  assert.equal(seq.split("\x1b").length - 1, 1);
  assert.equal(seq.split("\x07").length - 1, 1);
});
