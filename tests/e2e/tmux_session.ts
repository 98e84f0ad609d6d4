/**
 * A real terminal for end-to-end tests: one command in a detached tmux session on a private
 * server socket, its screen read as text, keys sent, the window resized. The pane stays after
 * the command exits (`remain-on-exit`), so the screen it leaves behind can still be read.
 * @module
 */

import { waitFor } from "../support/process.ts";

/** A running tmux server with one session. */
export interface TmuxSession {
  /** The visible screen as plain text, one line a row (trailing blanks trimmed by tmux). */
  capture(): Promise<string>;
  /** tmux key names ("q", "Escape", "C-c") or literal text. */
  sendKeys(...keys: string[]): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
  /** A tmux format about the pane, e.g. "#{alternate_on}" (a dead pane shows no cursor). */
  format(format: string): Promise<string>;
  /** Waits until `check(screen)` is truthy; on timeout the error shows the last screen. */
  waitForScreen(
    check: (screen: string) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<string>;
  /** Kills the tmux server (and with it the command, if still running). Safe to call twice. */
  kill(): Promise<void>;
}

let serial = 0;

/**
 * Starts `command` (run by `sh -c`) in a `columns`×`rows` detached session with no status line,
 * on a server socket of its own, so nothing touches the user's tmux.
 * @example
 * ```ts
 * const tmux = await startTmux("deno run -A mod.ts x.torrent", { columns: 120, rows: 40 });
 * try {
 *   await tmux.waitForScreen((s) => s.includes("Peers"), 10_000, "the TUI");
 * } finally {
 *   await tmux.kill();
 * }
 * ```
 */
export async function startTmux(
  command: string,
  options: { columns: number; rows: number; cwd?: string },
): Promise<TmuxSession> {
  const socket = `bt-e2e-${Deno.pid}-${++serial}-${Date.now()}`;
  const config = await Deno.makeTempFile({ prefix: "tmux-e2e-", suffix: ".conf" });
  // remain-on-exit before the command starts, so even a command that exits at once stays.
  await Deno.writeTextFile(
    config,
    "set -g remain-on-exit on\nset -g status off\nset -g history-limit 0\n",
  );
  const tmux = async (...args: string[]) => {
    const out = await new Deno.Command("tmux", {
      args: ["-L", socket, "-f", config, ...args],
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    if (!out.success) {
      throw new Error(
        `tmux ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr).trim()}`,
      );
    }
    return text;
  };
  let killed = false;
  const kill = async () => {
    if (killed) return;
    killed = true;
    await tmux("kill-server").catch(() => {});
    await Deno.remove(config).catch(() => {});
  };
  try {
    await tmux(
      "new-session",
      "-d",
      "-x",
      String(options.columns),
      "-y",
      String(options.rows),
      ...(options.cwd ? ["-c", options.cwd] : []),
      "sh",
      "-c",
      command,
    );
  } catch (error) {
    await kill();
    throw error;
  }
  const format = async (f: string) => (await tmux("display-message", "-p", f)).trimEnd();
  const capture = () => tmux("capture-pane", "-p");
  return {
    capture,
    sendKeys: async (...keys) => void await tmux("send-keys", ...keys),
    resize: async (columns, rows) =>
      void await tmux("resize-window", "-x", String(columns), "-y", String(rows)),
    format,
    async waitForScreen(check, timeoutMs, what) {
      let last = "";
      try {
        return await waitFor(async () => {
          last = await capture();
          return check(last) ? last : undefined;
        }, { timeoutMs, intervalMs: 100, what });
      } catch (error) {
        throw new Error(`${(error as Error).message}\n--- screen ---\n${last}`);
      }
    },
    kill,
  };
}
