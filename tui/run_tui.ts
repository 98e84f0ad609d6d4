/**
 * The interactive UI loop: polls the torrents' snapshots on its own timer, redraws only what
 * changed, reacts to keys and resizes at once, and always gives the terminal back.
 * @module
 */

import type { TorrentSnapshot } from "../src/torrent/snapshot.ts";
import { FrameWriter } from "./frame_writer.ts";
import { KeyDecoder } from "./keys.ts";
import type { Size } from "./layout.ts";
import { renderScreen } from "./render_screen.ts";
import { ScreenSession } from "./screen_session.ts";
import { type ColorLevel, detectColorLevel } from "./sgr.ts";
import { denoTerminalIo, type TerminalIo } from "./terminal_io.ts";
import type { TorrentControl, TuiResult } from "./torrent_control.ts";
import { handleKey, initialUiState, type UiCommand, type UiState } from "./ui_state.ts";

/** How to run the UI. Every field has a sensible default for a real terminal. */
export interface TuiOptions {
  /** Aborting it closes the UI; runTui resolves with reason "aborted". */
  readonly signal?: AbortSignal;
  /** Snapshot polls and redraws per second (default 5). Keys redraw at once regardless. */
  readonly refreshHz?: number;
  /** Default: from NO_COLOR, TERM and COLORTERM. */
  readonly colorLevel?: ColorLevel;
  /** Default: the process's terminal. Tests pass a fake one. */
  readonly io?: TerminalIo;
  /** Clock for "next announce in ..." (default Date.now). */
  readonly now?: () => number;
}

/** Wait this long after a lone ESC before taking it as the Esc key. */
const ESC_TIMEOUT_MS = 30;

function sameSize(a: Size, b: Size): boolean {
  return a.columns === b.columns && a.rows === b.rows;
}

function runCommand(torrents: readonly TorrentControl[], command: UiCommand): void {
  switch (command.type) {
    case "pause":
      torrents[command.torrent]?.pause();
      break;
    case "resume":
      torrents[command.torrent]?.resume();
      break;
    case "priority":
      torrents[command.torrent]?.setFilePriority(command.file, command.priority);
      break;
    case "quit":
      break;
  }
}

/**
 * Runs the full-screen UI until the user quits (q, Ctrl+C), a stop signal arrives (SIGTERM,
 * SIGINT, SIGHUP) or `options.signal` aborts; then restores the terminal and resolves, so the
 * caller can save resume state. Rejects, with the terminal restored, if drawing or a snapshot
 * throws.
 * @example
 * ```ts
 * const { reason } = await runTui([control], { signal: shutdown.signal });
 * await engine.saveResumeState();
 * ```
 */
export function runTui(
  torrents: readonly TorrentControl[],
  options: TuiOptions = {},
): Promise<TuiResult> {
  if (options.signal?.aborted) return Promise.resolve({ reason: "aborted" });
  const io = options.io ?? denoTerminalIo();
  const level = options.colorLevel ?? detectColorLevel(Deno.env);
  const now = options.now ?? Date.now;
  const intervalMs = 1000 / Math.min(30, Math.max(1, options.refreshHz ?? 5));
  const session = new ScreenSession(io);

  return new Promise<TuiResult>((resolve, reject) => {
    const writer = new FrameWriter(level);
    const decoder = new KeyDecoder();
    let ui: UiState = initialUiState(torrents.length);
    let snapshots: TorrentSnapshot[] = [];
    let size: Size = { columns: 0, rows: 0 };
    let escTimer: ReturnType<typeof setTimeout> | undefined;
    const stops: Array<() => void> = [];
    let finished = false;

    const finish = (outcome: { result: TuiResult } | { error: unknown }) => {
      if (finished) return;
      finished = true;
      clearTimeout(escTimer);
      for (const stop of stops) {
        try {
          stop();
        } catch {
          // Keep releasing the rest.
        }
      }
      session.restore();
      if ("result" in outcome) resolve(outcome.result);
      else reject(outcome.error);
    };
    // Every callback runs guarded: an exception ends the UI cleanly instead of leaving the
    // terminal in raw mode on the alternate screen.
    const guard = <A extends unknown[]>(fn: (...args: A) => void) => (...args: A) => {
      if (finished) return;
      try {
        fn(...args);
      } catch (error) {
        finish({ error });
      }
    };

    const poll = () => {
      snapshots = torrents.map((t) => t.snapshot());
      const current = io.size();
      if (!sameSize(current, size)) {
        size = current;
        writer.invalidate();
      }
    };
    const draw = () => {
      const out = writer.frame(renderScreen({ snapshots, ui, now: now() }, size));
      if (out) io.write(out);
    };
    const onKeys = (keys: ReturnType<KeyDecoder["feed"]>) => {
      for (const key of keys) {
        const { state, command } = handleKey(ui, key, { snapshots, size });
        ui = state;
        if (command?.type === "quit") return finish({ result: { reason: "quit" } });
        if (command) {
          runCommand(torrents, command);
          poll();
        }
      }
      if (keys.length > 0) draw();
    };
    const flushEscape = guard(() => onKeys(decoder.flush()));
    const onBytes = guard((bytes: Uint8Array) => {
      clearTimeout(escTimer);
      onKeys(decoder.feed(bytes));
      if (!finished && decoder.pending) escTimer = setTimeout(flushEscape, ESC_TIMEOUT_MS);
    });

    try {
      session.enter();
      poll();
      draw();
      const timer = setInterval(guard(() => (poll(), draw())), intervalMs);
      stops.push(() => clearInterval(timer));
      stops.push(io.onResize(guard(() => (poll(), draw()))));
      stops.push(io.onTerminate(() => finish({ result: { reason: "signal" } })));
      stops.push(io.startInput(onBytes, (error) => finish({ error })));
      if (options.signal) {
        const onAbort = () => finish({ result: { reason: "aborted" } });
        options.signal.addEventListener("abort", onAbort, { once: true });
        stops.push(() => options.signal?.removeEventListener("abort", onAbort));
      }
    } catch (error) {
      finish({ error });
    }
  });
}
