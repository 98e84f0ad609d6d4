import assert from "node:assert/strict";
import { type Key, KeyDecoder } from "../../tui/keys.ts";

const enc = (s: string) => new TextEncoder().encode(s);

function describe(k: Key): string {
  const mods = `${k.ctrl ? "C-" : ""}${k.alt ? "M-" : ""}${
    k.kind === "special" && k.shift ? "S-" : ""
  }`;
  return mods + (k.kind === "char" ? k.char : `<${k.name}>`);
}

function decodeAll(chunks: Uint8Array[], flush = true): string[] {
  const d = new KeyDecoder();
  const keys = chunks.flatMap((c) => d.feed(c));
  if (flush) keys.push(...d.flush());
  return keys.map(describe);
}

Deno.test("decodes letters, control keys and common escape sequences", () => {
  const input = "q\t\r\x7f\x03\x1b[A\x1b[B\x1b[C\x1b[D\x1b[Z\x1b[5~\x1b[6~\x1b[H\x1bOF\x1b[3~";
  assert.deepEqual(decodeAll([enc(input)]), [
    "q",
    "<tab>",
    "<enter>",
    "<backspace>",
    "C-c",
    "<up>",
    "<down>",
    "<right>",
    "<left>",
    "S-<backtab>",
    "<pageup>",
    "<pagedown>",
    "<home>",
    "<end>",
    "<delete>",
  ]);
});

Deno.test("modifiers in CSI parameters and Alt as an ESC prefix", () => {
  assert.deepEqual(decodeAll([enc("\x1b[1;5A\x1b[1;2B\x1bx\x1bOA")]), [
    "C-<up>",
    "S-<down>",
    "M-x",
    "<up>",
  ]);
});

Deno.test("UTF-8 characters decode, also when split across reads", () => {
  const bytes = enc("é中👍");
  for (let cut = 0; cut <= bytes.length; cut++) {
    assert.deepEqual(decodeAll([bytes.slice(0, cut), bytes.slice(cut)]), ["é", "中", "👍"]);
  }
});

Deno.test("every split of a key stream gives the same keys", () => {
  const bytes = enc("j\x1b[Ak\x1b[1;5C\x1b[Z\x1bOPq\x1b[15~");
  const whole = decodeAll([bytes]);
  assert.deepEqual(whole, ["j", "<up>", "k", "C-<right>", "S-<backtab>", "<f1>", "q", "<f5>"]);
  for (let a = 0; a <= bytes.length; a++) {
    for (let b = a; b <= bytes.length; b++) {
      const parts = [bytes.slice(0, a), bytes.slice(a, b), bytes.slice(b)];
      assert.deepEqual(decodeAll(parts), whole, `split at ${a},${b}`);
    }
  }
});

Deno.test("a lone ESC waits for flush; ESC ESC is two escapes", () => {
  const d = new KeyDecoder();
  assert.deepEqual(d.feed(enc("\x1b")), []);
  assert.equal(d.pending, true);
  assert.deepEqual(d.flush().map(describe), ["<escape>"]);
  assert.equal(d.pending, false);
  assert.deepEqual(decodeAll([enc("\x1b\x1b")]), ["<escape>", "<escape>"]);
  // The sequence start, then its end in a later read, is still one key.
  assert.deepEqual(decodeAll([enc("\x1b"), enc("[A")], false), ["<up>"]);
});

Deno.test("unknown and broken sequences are dropped without eating the next key", () => {
  assert.deepEqual(decodeAll([enc("\x1b[99~a\x1b[?1;2cb\x1b[12\rc")]), ["a", "b", "<enter>", "c"]);
  assert.deepEqual(decodeAll([new Uint8Array([0xff, 0x80, 0x61])]), ["a"]);
});

Deno.test("fuzz: random input never throws and never holds unbounded bytes", () => {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const alphabet = [0x1b, 0x5b, 0x4f, 0x3b, 0x31, 0x35, 0x7e, 0x41, 0x5a, 0xe4, 0xb8, 0x2d, 0x71];
  for (let round = 0; round < 2000; round++) {
    const d = new KeyDecoder();
    for (let chunk = 0; chunk < 5; chunk++) {
      const n = Math.floor(rand() * 12);
      const bytes = Uint8Array.from(
        { length: n },
        () =>
          rand() < 0.7 ? alphabet[Math.floor(rand() * alphabet.length)] : Math.floor(rand() * 256),
      );
      for (const key of d.feed(bytes)) {
        assert.ok(key.kind === "char" ? key.char.length > 0 : key.name.length > 0);
      }
    }
    d.flush();
    assert.equal(d.pending, false, `round ${round}`);
  }
  const d = new KeyDecoder();
  d.feed(enc("\x1b[" + "1;".repeat(100)));
  assert.deepEqual(d.feed(enc("q")).map(describe).at(-1), "q");
});
