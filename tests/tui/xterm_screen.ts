/**
 * A headless xterm.js terminal for tests: our ANSI output goes in, and assertions read what a
 * real terminal would show, cell by cell.
 * @module
 */

import xterm from "@xterm/headless";

/** A terminal emulator screen fed with output. */
export interface XtermScreen {
  /** Writes output and waits until the emulator has parsed it. */
  write(data: string): Promise<void>;
  /** Text of a row, wide characters once, trailing spaces kept. */
  line(y: number): string;
  /** Every row's text with trailing spaces trimmed. */
  lines(): string[];
  /** One cell: its text and attributes. */
  cell(x: number, y: number): {
    chars: string;
    width: number;
    bold: boolean;
    inverse: boolean;
    fg: number;
    fgDefault: boolean;
    bgDefault: boolean;
  };
  dispose(): void;
}

/**
 * A new emulator of the given size.
 * @example
 * ```ts
 * const screen = xtermScreen(80, 24);
 * await screen.write("\x1b[1mhi");
 * ```
 */
export function xtermScreen(cols: number, rows: number): XtermScreen {
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
  const buffer = () => term.buffer.active;
  return {
    write: (data) => new Promise<void>((resolve) => term.write(data, resolve)),
    line: (y) => buffer().getLine(y)?.translateToString(false) ?? "",
    lines: () =>
      Array.from({ length: rows }, (_, y) => buffer().getLine(y)?.translateToString(true) ?? ""),
    cell: (x, y) => {
      const c = buffer().getLine(y)?.getCell(x);
      if (!c) throw new Error(`no cell at ${x},${y}`);
      return {
        chars: c.getChars(),
        width: c.getWidth(),
        bold: c.isBold() !== 0,
        inverse: c.isInverse() !== 0,
        fg: c.getFgColor(),
        fgDefault: c.isFgDefault(),
        bgDefault: c.isBgDefault(),
      };
    },
    dispose: () => term.dispose(),
  };
}
