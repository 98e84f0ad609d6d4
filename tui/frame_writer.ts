/**
 * Turns successive frames into the few bytes that update a terminal: only changed cells are
 * written, the cursor moves by the shortest sequence, and SGR codes are emitted only when the
 * style actually changes. Short unchanged gaps inside a run are rewritten rather than skipped
 * when that is cheaper than a cursor move.
 * @module
 */

import { CellBuffer } from "./cell_buffer.ts";
import { type ColorLevel, normalizeStyle, sgrTransition } from "./sgr.ts";
import { PLAIN, type Style } from "./style.ts";

/** Rewriting at most this many unchanged cells beats a `CSI n C` cursor move (4+ bytes). */
const MAX_GAP = 4;

/**
 * Keeps the last frame shown and writes the difference to the next one.
 * @example
 * ```ts
 * const writer = new FrameWriter("ansi256");
 * io.write(writer.frame(renderScreen(model, size)));
 * ```
 */
export class FrameWriter {
  #prev: CellBuffer | undefined;
  #level: ColorLevel;
  #normCache = new Map<number, Style>();

  /**
   * @example
   * ```ts
   * const writer = new FrameWriter("ansi256");
   * ```
   */
  constructor(level: ColorLevel) {
    this.#level = level;
  }

  /**
   * Forgets what is on screen: the next frame clears and redraws everything (after a resize).
   * @example
   * ```ts
   * writer.invalidate(); // after SIGWINCH
   * ```
   */
  invalidate(): void {
    this.#prev = undefined;
  }

  /**
   * The escape sequences and text that change the screen from the previous frame to `next`.
   * `next` becomes the previous frame: do not change it afterwards.
   * @example
   * ```ts
   * Deno.stdout.writeSync(new TextEncoder().encode(writer.frame(buf)));
   * ```
   */
  frame(next: CellBuffer): string {
    let prev = this.#prev;
    let out = "";
    if (!prev || prev.width !== next.width || prev.height !== next.height) {
      out = "\x1b[0m\x1b[H\x1b[2J";
      prev = new CellBuffer(next.width, next.height);
    }
    out += this.#diff(prev, next);
    this.#prev = next;
    return out;
  }

  #norm(s: number): Style {
    let n = this.#normCache.get(s);
    if (n === undefined) {
      n = normalizeStyle(s as Style, this.#level);
      this.#normCache.set(s, n);
    }
    return n;
  }

  #diff(prev: CellBuffer, next: CellBuffer): string {
    const { width, height, chars, styles } = next;
    const pChars = prev.chars;
    const pStyles = prev.styles;
    const parts: string[] = [];
    let cx = -1; // cursor column, -1 when unknown
    let cy = -1;
    let pen: Style = PLAIN;
    // A right half only differs when its left half does, and is drawn with it.
    const same = (i: number) =>
      chars[i] === pChars[i] && (chars[i] === "" || styles[i] === pStyles[i]);

    for (let y = 0; y < height; y++) {
      const row = y * width;
      let x = 0;
      while (x < width) {
        if (same(row + x)) {
          x++;
          continue;
        }
        if (cy !== y || cx < 0 || cx > x) {
          parts.push(x === 0 ? `\x1b[${y + 1}H` : `\x1b[${y + 1};${x + 1}H`);
        } else if (cx < x) {
          parts.push(x - cx === 1 ? "\x1b[C" : `\x1b[${x - cx}C`);
        }
        cy = y;
        // Write the run: changed cells, plus short unchanged gaps in the current style.
        while (x < width) {
          const i = row + x;
          if (same(i)) {
            let gap = 0;
            while (x + gap < width && gap <= MAX_GAP && same(i + gap)) gap++;
            if (x + gap >= width || gap > MAX_GAP) break;
            let cheap = true;
            for (let k = 0; k < gap && cheap; k++) {
              const j = i + k;
              cheap = this.#norm(styles[j]) === pen && chars[j] !== "" &&
                !(x + k + 1 < width && chars[j + 1] === "");
            }
            if (!cheap) break;
            for (let k = 0; k < gap; k++) parts.push(chars[i + k]);
            x += gap;
            continue;
          }
          const ch = chars[i];
          const s = this.#norm(styles[i]);
          if (s !== pen) {
            parts.push(sgrTransition(pen, s));
            pen = s;
          }
          parts.push(ch);
          x += x + 1 < width && chars[i + 1] === "" ? 2 : 1;
        }
        // At the right edge the cursor may be in the pending-wrap state: treat it as unknown.
        cx = x >= width ? -1 : x;
      }
    }
    if (pen !== PLAIN) parts.push("\x1b[0m");
    return parts.join("");
  }
}
