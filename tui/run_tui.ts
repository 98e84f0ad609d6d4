/**
 * The interactive UI loop: polls the torrents' snapshots on its own timer, redraws only what
 * changed, reacts to keys and resizes at once, and always gives the terminal back.
 * @module
 */

import type { TorrentSnapshot } from "../src/torrent/snapshot.ts";
import { FrameWriter } from "./frame_writer.ts";
import { KeyDecoder } from "./keys.ts";
import type { Size } from "./layout.ts";
import { osc52Copy } from "./osc52.ts";
import { renderScreen } from "./render_screen.ts";
import { ScreenSession } from "./screen_session.ts";
import { type ColorLevel, detectColorLevel } from "./sgr.ts";
import { denoTerminalIo, type TerminalIo } from "./terminal_io.ts";
import type { TorrentControl, TuiResult } from "./torrent_control.ts";
import { NO_STREAM_PLAY } from "./stream_keys.ts";
import {
  handleKey,
  initialUiState,
  type UiCommand,
  type UiMessage,
  type UiState,
} from "./ui_state.ts";

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
  /** Clock for "next announce in ..." and message timeouts (default Date.now). */
  readonly now?: () => number;
}

/** Wait this long after a lone ESC before taking it as the Esc key. */
const ESC_TIMEOUT_MS = 30;

function sameSize(a: Size, b: Size): boolean {
  return a.columns === b.columns && a.rows === b.rows;
}

/** How long a message stays without a key press; one with a URL stays for copying by hand. */
const MESSAGE_MS = 5_000;
const URL_MESSAGE_MS = 30_000;

/** Runs a command; returns a message that replaces the key's own when the command cannot run. */
function runCommand(
  torrents: readonly TorrentControl[],
  io: TerminalIo,
  command: UiCommand,
): UiMessage | undefined {
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
    case "open": {
      const torrent = torrents[command.torrent];
      if (!torrent?.openInPlayer) return NO_STREAM_PLAY;
      torrent.openInPlayer(command.file);
      break;
    }
    case "copy":
      io.write(osc52Copy(command.text));
      break;
    case "quit":
      break;
  }
  return undefined;
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
    /** When the message on screen was set (by the `now` clock). */
    let messageAt = 0;
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
          const message = runCommand(torrents, io, command);
          if (message) ui = { ...ui, message };
          poll();
        }
        if (ui.message) messageAt = now();
      }
      if (keys.length > 0) draw();
    };
    const expireMessage = () => {
      const hold = ui.message?.url ? URL_MESSAGE_MS : MESSAGE_MS;
      if (ui.message && now() - messageAt >= hold) ui = { ...ui, message: undefined };
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
      const timer = setInterval(guard(() => (poll(), expireMessage(), draw())), intervalMs);
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
