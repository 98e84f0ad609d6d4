/**
 * A screen-sized grid of cells (one grapheme and one style each) that views draw into. A wide
 * character occupies its cell and the next one, whose char is "" (a continuation); the buffer
 * keeps that pairing intact whatever is drawn over half of it.
 * @module
 */

import { PLAIN, type Style } from "./style.ts";
import { forEachGrapheme } from "./text.ts";

/** A rectangle of cells; x/y from the top-left corner of the screen. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * A grid of styled cells.
 * @example
 * ```ts
 * const buf = new CellBuffer(80, 24);
 * buf.text(0, 0, "hello");
 * ```
 */
export class CellBuffer {
  /** Grapheme per cell; "" marks the right half of a wide character. */
  readonly chars: string[];
  /** Packed {@linkcode Style} per cell. */
  readonly styles: Uint32Array;

  /**
   * A blank buffer (spaces in the default style).
   * @example
   * ```ts
   * const buf = new CellBuffer(80, 24);
   * ```
   */
  constructor(readonly width: number, readonly height: number) {
    this.width = Math.max(0, Math.floor(width));
    this.height = Math.max(0, Math.floor(height));
    this.chars = new Array<string>(this.width * this.height).fill(" ");
    this.styles = new Uint32Array(this.width * this.height);
  }

  /**
   * Puts one grapheme of width 1 or 2 at (x, y); out-of-bounds writes are dropped, and a wide
   * grapheme that does not fit before the right edge becomes a space.
   * @example
   * ```ts
   * buf.set(0, 0, "中", 2, PLAIN);
   * ```
   */
  set(x: number, y: number, grapheme: string, width: number, style: Style): void {
    if (y < 0 || y >= this.height || x < 0 || x >= this.width || width <= 0) return;
    const row = y * this.width;
    const wide = width >= 2;
    if (wide && x + 1 >= this.width) {
      grapheme = " ";
    }
    const span = wide && grapheme !== " " ? 2 : 1;
    this.#detach(row, x);
    if (span === 2) this.#detach(row, x + 1);
    this.chars[row + x] = grapheme;
    this.styles[row + x] = style;
    if (span === 2) {
      this.chars[row + x + 1] = "";
      this.styles[row + x + 1] = style;
    }
  }

  // Before overwriting cell x, break up any wide character that cell x is a half of.
  #detach(row: number, x: number): void {
    const i = row + x;
    if (this.chars[i] === "" && x > 0) {
      this.chars[i - 1] = " ";
    } else if (x + 1 < this.width && this.chars[i + 1] === "") {
      this.chars[i + 1] = " ";
    }
  }

  /**
   * Writes text from (x, y) on one line, clipped to `maxWidth` cells and the buffer's right edge.
   * Returns the cells used. Zero-width graphemes are dropped; control characters are replaced.
   * @example
   * ```ts
   * const used = buf.text(2, 0, "Peers", style({ bold: true }));
   * ```
   */
  text(x: number, y: number, text: string, style: Style = PLAIN, maxWidth = Infinity): number {
    if (y < 0 || y >= this.height) return 0;
    const limit = Math.min(this.width, x + maxWidth);
    let cx = x;
    forEachGrapheme(text, (g, w) => {
      if (w === 0) return;
      if (cx + w > limit) return false;
      if (cx >= 0) this.set(cx, y, g, w, style);
      cx += w;
    });
    return cx - x;
  }

  /**
   * Fills a rectangle (clipped to the buffer) with one narrow character.
   * @example
   * ```ts
   * buf.fill({ x: 0, y: 0, width: 80, height: 1 }, style({ reverse: true }));
   * ```
   */
  fill(rect: Rect, style: Style = PLAIN, char = " "): void {
    const x0 = Math.max(0, rect.x);
    const x1 = Math.min(this.width, rect.x + rect.width);
    const y0 = Math.max(0, rect.y);
    const y1 = Math.min(this.height, rect.y + rect.height);
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) this.set(x, y, char, 1, style);
    }
  }

  /**
   * Replaces the style of every cell in a rectangle, keeping the characters (for highlights).
   * @example
   * ```ts
   * buf.restyle({ x: 0, y: 3, width: 40, height: 1 }, style({ reverse: true }));
   * ```
   */
  restyle(rect: Rect, style: Style): void {
    const x0 = Math.max(0, rect.x);
    const x1 = Math.min(this.width, rect.x + rect.width);
    for (let y = Math.max(0, rect.y); y < Math.min(this.height, rect.y + rect.height); y++) {
      this.styles.fill(style, y * this.width + x0, y * this.width + x1);
    }
  }

  /**
   * The characters of one row as a string (wide characters once), for tests and debugging.
   * @example
   * ```ts
   * buf.line(0).trimEnd();
   * ```
   */
  line(y: number): string {
    return this.chars.slice(y * this.width, (y + 1) * this.width).join("");
  }
}

/**
 * A rectangle shrunk by `n` cells on every side (never negative).
 * @example
 * ```ts
 * inset({ x: 0, y: 0, width: 10, height: 5 }, 1); // { x: 1, y: 1, width: 8, height: 3 }
 * ```
 */
export function inset(rect: Rect, n: number): Rect {
  return {
    x: rect.x + n,
    y: rect.y + n,
    width: Math.max(0, rect.width - 2 * n),
    height: Math.max(0, rect.height - 2 * n),
  };
}
