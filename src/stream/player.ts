/**
 * Opening a stream in mpv or VLC: which file to play, the command line (an argv, never a shell
 * string) and a launcher that starts the player and lets it run on its own.
 * @module
 */

import { mediaKindOf } from "./media_types.ts";
import type { StreamFile } from "./stream_source.ts";

/** The players we know how to start. */
export type Player = "mpv" | "vlc";

/**
 * A player could not be started; the message says why in one line.
 * @example
 * ```ts
 * throw new PlayerError("mpv not found in PATH; install it or open the URL yourself");
 * ```
 */
export class PlayerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlayerError";
  }
}

/**
 * The argv that plays `url`. mpv gets `--force-seekable=yes`: it otherwise may decide an HTTP
 * stream is unseekable before the first Range answer arrives. VLC gets `--play-and-exit` so its
 * window goes away with the stream instead of idling on an empty playlist.
 * @example
 * ```ts
 * playerCommand("mpv", "http://127.0.0.1:8888/0/a.mkv");
 * // ["mpv", "--force-seekable=yes", "http://127.0.0.1:8888/0/a.mkv"]
 * ```
 */
export function playerCommand(player: Player, url: string): string[] {
  return player === "mpv" ? ["mpv", "--force-seekable=yes", url] : ["vlc", "--play-and-exit", url];
}

/**
 * Starts `player` on `url` and returns at once: the player is not waited on, its output is
 * discarded (the TUI owns the terminal) and it does not keep Deno alive. `binary` replaces the
 * program name (a full path, or a wrapper). Throws {@linkcode PlayerError} when it cannot start.
 * @example
 * ```ts
 * const child = launchPlayer("mpv", "http://127.0.0.1:8888/0/a.mkv");
 * child.status.then((s) => console.log("player exited", s.code));
 * ```
 */
export function launchPlayer(
  player: Player,
  url: string,
  options: { readonly binary?: string } = {},
): Deno.ChildProcess {
  const [name, ...args] = playerCommand(player, url);
  const binary = options.binary ?? name;
  try {
    const child = new Deno.Command(binary, {
      args,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    child.unref();
    return child;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new PlayerError(`${binary} not found; install ${player} or open ${url} yourself`);
    }
    const why = error instanceof Error ? error.message : String(error);
    throw new PlayerError(`cannot start ${binary}: ${why}`);
  }
}

const PREFERENCE = { video: 2, audio: 1 } as const;

/**
 * The file to play when none was chosen: the largest video, else the largest audio file, else the
 * largest file; the first of equals. Undefined for an empty list.
 * @example
 * ```ts
 * pickDefaultFile([
 *   { index: 0, path: "t/cover.jpg", length: 9_000_000 },
 *   { index: 1, path: "t/movie.mkv", length: 5_000_000 },
 * ]); // the movie
 * ```
 */
export function pickDefaultFile(files: readonly StreamFile[]): StreamFile | undefined {
  const rank = (file: StreamFile) => {
    const kind = mediaKindOf(file.path);
    return kind === "video" || kind === "audio" ? PREFERENCE[kind] : 0;
  };
  let best: StreamFile | undefined;
  for (const file of files) {
    if (
      best === undefined || rank(file) > rank(best) ||
      (rank(file) === rank(best) && file.length > best.length)
    ) best = file;
  }
  return best;
}
