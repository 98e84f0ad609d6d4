/**
 * A pure decoder from raw-mode terminal input bytes to key presses. Escape sequences and UTF-8
 * characters may arrive split across reads: the decoder keeps the unfinished tail until the next
 * {@linkcode KeyDecoder.feed}. A lone ESC is ambiguous (it also starts sequences), so it is held
 * until more bytes come or the caller calls {@linkcode KeyDecoder.flush} after a short pause.
 * @module
 */

/** Keys that are not a printable character. */
export type SpecialKey =
  | "up"
  | "down"
  | "left"
  | "right"
  | "home"
  | "end"
  | "pageup"
  | "pagedown"
  | "insert"
  | "delete"
  | "tab"
  | "backtab"
  | "enter"
  | "escape"
  | "backspace"
  | `f${1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12}`;

/** One key press. Ctrl+letter arrives as the letter with `ctrl` set. */
export type Key =
  | {
    readonly kind: "char";
    readonly char: string;
    readonly ctrl: boolean;
    readonly alt: boolean;
  }
  | {
    readonly kind: "special";
    readonly name: SpecialKey;
    readonly ctrl: boolean;
    readonly alt: boolean;
    readonly shift: boolean;
  };

/** Longest escape sequence kept while waiting for its end; longer garbage is dropped. */
const MAX_SEQUENCE = 32;

const TILDE_KEYS: Readonly<Record<number, SpecialKey>> = {
  1: "home",
  2: "insert",
  3: "delete",
  4: "end",
  5: "pageup",
  6: "pagedown",
  7: "home",
  8: "end",
  11: "f1",
  12: "f2",
  13: "f3",
  14: "f4",
  15: "f5",
  17: "f6",
  18: "f7",
  19: "f8",
  20: "f9",
  21: "f10",
  23: "f11",
  24: "f12",
};

const LETTER_KEYS: Readonly<Record<string, SpecialKey>> = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  H: "home",
  F: "end",
  P: "f1",
  Q: "f2",
  R: "f3",
  S: "f4",
};

function special(name: SpecialKey, mods = 0, alt = false): Key {
  return {
    kind: "special",
    name,
    shift: (mods & 1) !== 0,
    alt: alt || (mods & 2) !== 0,
    ctrl: (mods & 4) !== 0,
  };
}

function char(c: string, ctrl = false, alt = false): Key {
  return { kind: "char", char: c, ctrl, alt };
}

/** Bytes a UTF-8 sequence starting with `lead` needs, or 0 for a byte that cannot start one. */
function utf8Length(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

type Step = { key?: Key; used: number } | "incomplete";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes key presses from a stream of raw-mode input bytes.
 * @example
 * ```ts
 * const keys = new KeyDecoder().feed(new Uint8Array([0x71])); // [{ kind: "char", char: "q", ... }]
 * ```
 */
export class KeyDecoder {
  #pending: number[] = [];

  /**
   * Adds bytes and returns the keys they complete.
   * @example
   * ```ts
   * const d = new KeyDecoder();
   * d.feed(new Uint8Array([0x1b, 0x5b])); // [] (waits)
   * d.feed(new Uint8Array([0x41])); // [{ kind: "special", name: "up", ... }]
   * ```
   */
  feed(bytes: Uint8Array): Key[] {
    for (const b of bytes) this.#pending.push(b);
    return this.#drain(false);
  }

  /**
   * Returns keys held back as possibly incomplete (a lone ESC, a cut-off sequence), treating
   * them as complete. Call it when no input came for a short while (about 30 ms).
   * @example
   * ```ts
   * d.feed(new Uint8Array([0x1b])); // []
   * d.flush(); // [{ kind: "special", name: "escape", ... }]
   * ```
   */
  flush(): Key[] {
    return this.#drain(true);
  }

  /**
   * True when bytes are held back and a {@linkcode flush} may produce keys.
   * @example
   * ```ts
   * if (decoder.pending) setTimeout(() => handle(decoder.flush()), 30);
   * ```
   */
  get pending(): boolean {
    return this.#pending.length > 0;
  }

  #drain(final: boolean): Key[] {
    const keys: Key[] = [];
    const buf = this.#pending;
    let pos = 0;
    while (pos < buf.length) {
      const step = this.#step(buf, pos, final);
      if (step === "incomplete") break;
      if (step.key) keys.push(step.key);
      pos += step.used;
    }
    this.#pending = buf.slice(pos);
    return keys;
  }

  #step(buf: number[], pos: number, final: boolean): Step {
    const b = buf[pos];
    if (b === 0x1b) return this.#escape(buf, pos, final);
    if (b === 0x0d || b === 0x0a) return { key: special("enter"), used: 1 };
    if (b === 0x09) return { key: special("tab"), used: 1 };
    if (b === 0x7f || b === 0x08) return { key: special("backspace"), used: 1 };
    if (b === 0x00) return { key: char(" ", true), used: 1 };
    if (b < 0x20) return { key: char(String.fromCharCode(b + 0x60), true), used: 1 };
    return this.#utf8(buf, pos, final);
  }

  #utf8(buf: number[], pos: number, final: boolean): Step {
    const n = utf8Length(buf[pos]);
    if (n === 0) return { used: 1 };
    if (pos + n > buf.length) return final ? { used: buf.length - pos } : "incomplete";
    try {
      const c = utf8.decode(new Uint8Array(buf.slice(pos, pos + n)));
      return { key: char(c), used: n };
    } catch {
      return { used: 1 };
    }
  }

  #escape(buf: number[], pos: number, final: boolean): Step {
    if (pos + 1 >= buf.length) return final ? { key: special("escape"), used: 1 } : "incomplete";
    const next = buf[pos + 1];
    if (next === 0x5b) return this.#csi(buf, pos, final);
    if (next === 0x4f) {
      if (pos + 2 >= buf.length) {
        return final ? { key: char("O", false, true), used: 2 } : "incomplete";
      }
      const name = LETTER_KEYS[String.fromCharCode(buf[pos + 2])];
      return { key: name ? special(name) : undefined, used: 3 };
    }
    if (next === 0x1b) return { key: special("escape"), used: 1 };
    // ESC followed by a key is that key with Alt.
    const inner = this.#step(buf, pos + 1, final);
    if (inner === "incomplete") return inner;
    return { key: inner.key && { ...inner.key, alt: true }, used: 1 + inner.used };
  }

  #csi(buf: number[], pos: number, final: boolean): Step {
    // ESC [ params(0x30-0x3f)* intermediates(0x20-0x2f)* final(0x40-0x7e)
    let i = pos + 2;
    while (i < buf.length && buf[i] >= 0x20 && buf[i] <= 0x3f) {
      if (i - pos > MAX_SEQUENCE) return { used: i - pos };
      i++;
    }
    if (i >= buf.length) {
      return final ? { key: char("[", false, true), used: 2 } : "incomplete";
    }
    const fin = buf[i];
    const used = i + 1 - pos;
    if (fin < 0x40 || fin > 0x7e) return { used: i - pos };
    const params = String.fromCharCode(...buf.slice(pos + 2, i)).split(";").map((p) =>
      p === "" ? 0 : Number(p)
    );
    const mods = params.length > 1 && params[1] > 1 ? params[1] - 1 : 0;
    const f = String.fromCharCode(fin);
    if (f === "~") {
      const name = TILDE_KEYS[params[0]];
      return { key: name ? special(name, mods) : undefined, used };
    }
    if (f === "Z") return { key: special("backtab", 1), used };
    const name = LETTER_KEYS[f];
    return { key: name ? special(name, mods) : undefined, used };
  }
}

/**
 * True when the key is the given printable character without Ctrl or Alt.
 * @example
 * ```ts
 * isChar(key, "q");
 * ```
 */
export function isChar(key: Key, c: string): boolean {
  return key.kind === "char" && key.char === c && !key.ctrl && !key.alt;
}

/**
 * True when the key is the given special key (any modifiers).
 * @example
 * ```ts
 * isSpecial(key, "enter");
 * ```
 */
export function isSpecial(key: Key, name: SpecialKey): boolean {
  return key.kind === "special" && key.name === name;
}
