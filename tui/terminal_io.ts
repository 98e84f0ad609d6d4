/**
 * The terminal as the TUI uses it — output, size, raw mode, input, resize and stop signals —
 * behind an interface so the whole UI loop also runs against a fake terminal in tests.
 * @module
 */

import type { Size } from "./layout.ts";

/** A terminal the TUI can drive. */
export interface TerminalIo {
  /** Writes all of `text` synchronously (restoring the terminal must not wait on a promise). */
  write(text: string): void;
  size(): Size;
  setRaw(raw: boolean): void;
  /** Starts delivering input bytes; returns a function that stops reading. */
  startInput(onBytes: (bytes: Uint8Array) => void, onError: (error: unknown) => void): () => void;
  /** Calls `listener` when the terminal is resized; returns a function that stops listening. */
  onResize(listener: () => void): () => void;
  /** Calls `listener` on SIGTERM, SIGINT or SIGHUP; returns a function that stops listening. */
  onTerminate(listener: () => void): () => void;
}

/**
 * Raised when the TUI is asked to run without a terminal.
 * @example
 * ```ts
 * throw new TuiError("the TUI needs a terminal");
 * ```
 */
export class TuiError extends Error {
  override name = "TuiError";
}

/**
 * True when both stdin and stdout are terminals, so the TUI can run (else use plain mode).
 * @example
 * ```ts
 * if (!canRunTui()) console.log(formatProgressLine(control.snapshot()));
 * ```
 */
export function canRunTui(): boolean {
  return Deno.stdin.isTerminal() && Deno.stdout.isTerminal();
}

function listenSignals(signals: readonly Deno.Signal[], listener: () => void): () => void {
  const added: Deno.Signal[] = [];
  for (const sig of signals) {
    try {
      Deno.addSignalListener(sig, listener);
      added.push(sig);
    } catch {
      // Not every platform has every signal (Windows has no SIGWINCH or SIGHUP).
    }
  }
  return () => {
    for (const sig of added) Deno.removeSignalListener(sig, listener);
  };
}

/**
 * The process's own terminal (Deno.stdin / Deno.stdout). Reading stdin is cancelled when input
 * stops, so a finished TUI does not keep the process alive.
 * @example
 * ```ts
 * const io = denoTerminalIo();
 * ```
 */
export function denoTerminalIo(): TerminalIo {
  if (!canRunTui()) throw new TuiError("the TUI needs a terminal on stdin and stdout");
  const encoder = new TextEncoder();
  return {
    write(text) {
      const bytes = encoder.encode(text);
      let off = 0;
      while (off < bytes.length) off += Deno.stdout.writeSync(bytes.subarray(off));
    },
    size() {
      const { columns, rows } = Deno.consoleSize();
      return { columns, rows };
    },
    setRaw(raw) {
      Deno.stdin.setRaw(raw);
    },
    startInput(onBytes, onError) {
      const reader = Deno.stdin.readable.getReader();
      let stopped = false;
      (async () => {
        while (!stopped) {
          const { done, value } = await reader.read();
          if (done) break;
          if (!stopped) onBytes(value);
        }
      })().catch((error) => {
        if (!stopped) onError(error);
      });
      return () => {
        stopped = true;
        reader.cancel().catch(() => {});
      };
    },
    onResize: (listener) => listenSignals(["SIGWINCH"], listener),
    onTerminate: (listener) => listenSignals(["SIGTERM", "SIGINT", "SIGHUP"], listener),
  };
}
