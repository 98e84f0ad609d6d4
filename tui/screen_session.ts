/**
 * Takes over the terminal (raw mode, alternate screen, hidden cursor, no autowrap) and gives it
 * back exactly once, whichever way the program ends: normal return, a thrown error (the caller's
 * finally), an uncaught error or rejection anywhere in the process, or Deno.exit().
 * @module
 */

import type { TerminalIo } from "./terminal_io.ts";

/**
 * Alternate screen, hide cursor, no line wrap, clear.
 * @example
 * ```ts
 * io.write(ENTER_SEQUENCE);
 * ```
 */
export const ENTER_SEQUENCE = "\x1b[?1049h\x1b[?25l\x1b[?7l\x1b[0m\x1b[H\x1b[2J";
/**
 * Reset style, line wrap, show cursor, back to the main screen.
 * @example
 * ```ts
 * io.write(LEAVE_SEQUENCE);
 * ```
 */
export const LEAVE_SEQUENCE = "\x1b[0m\x1b[?7h\x1b[?25h\x1b[?1049l";

const EVENTS = ["error", "unhandledrejection", "unload"] as const;

/**
 * The terminal, taken over until {@linkcode ScreenSession.restore}.
 * @example
 * ```ts
 * const session = new ScreenSession(io);
 * session.enter();
 * try { draw(); } finally { session.restore(); }
 * ```
 */
export class ScreenSession {
  #io: TerminalIo;
  #active = false;
  #onExit = () => this.restore();

  /**
   * @example
   * ```ts
   * const session = new ScreenSession(denoTerminalIo());
   * ```
   */
  constructor(io: TerminalIo) {
    this.#io = io;
  }

  /**
   * Switches the terminal to full-screen raw mode and arms the process-wide restore hooks.
   * @example
   * ```ts
   * session.enter();
   * try { draw(); } finally { session.restore(); }
   * ```
   */
  enter(): void {
    if (this.#active) return;
    this.#io.setRaw(true);
    this.#active = true;
    for (const e of EVENTS) globalThis.addEventListener(e, this.#onExit);
    this.#io.write(ENTER_SEQUENCE);
  }

  /**
   * Puts the terminal back as it was; safe to call more than once, and each step runs even if
   * another fails (the terminal may already be gone).
   * @example
   * ```ts
   * session.restore();
   * ```
   */
  restore(): void {
    if (!this.#active) return;
    this.#active = false;
    for (const e of EVENTS) globalThis.removeEventListener(e, this.#onExit);
    try {
      this.#io.write(LEAVE_SEQUENCE);
    } catch {
      // Still leave raw mode below.
    }
    try {
      this.#io.setRaw(false);
    } catch {
      // Nothing more can be done for a closed terminal.
    }
  }
}
