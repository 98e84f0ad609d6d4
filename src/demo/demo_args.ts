/**
 * The demo's command line (`deno task demo [options]`). Pure: no I/O.
 * @module
 */

/**
 * A wrong demo command line: printed with a pointer to `--help`, exit status 2.
 * @example
 * ```ts
 * throw new DemoUsageError("--size-mb needs a value");
 * ```
 */
export class DemoUsageError extends Error {
  override name = "DemoUsageError";
}

/** What the demo was asked to do. */
export type DemoCommand =
  | { readonly kind: "help" }
  | {
    readonly kind: "run";
    /** "auto": the TUI when stdin and stdout are terminals, else plain progress lines. */
    readonly tui: boolean | "auto";
    /** Size of the generated album, in MiB. */
    readonly sizeMb: number;
    /** About how long the download should take, in seconds (the seeders are throttled to it). */
    readonly seconds: number;
  };

/** Default album size: big enough for a lively piece map, quick to generate. */
export const DEFAULT_SIZE_MB = 200;
/** Default download time. */
export const DEFAULT_SECONDS = 40;

/**
 * The demo's `--help` text.
 * @example
 * ```ts
 * console.log(DEMO_HELP);
 * ```
 */
export const DEMO_HELP = `bittorrent-ts demo: a swarm on your machine, no torrent or internet needed

Usage: deno task demo [options]

Generates a ${DEFAULT_SIZE_MB} MiB album in a temporary folder, makes a torrent of it, starts four
throttled seeders of our own on 127.0.0.1 (two have every piece, two only some) and downloads
the album from them in the TUI. Press q to quit: everything stops and the temporary data is
removed.

Options:
  --size-mb N   album size in MiB (1..4096, default ${DEFAULT_SIZE_MB})
  --seconds N   about how long the download takes (1..3600, default ${DEFAULT_SECONDS})
  --no-tui      print a progress line a second instead, and exit once the download is done
  --tui         use the TUI even when stdout does not look like a terminal
  -h, --help    this text`;

/**
 * Parses the demo's arguments.
 * @example
 * ```ts
 * parseDemoArgs(["--no-tui", "--size-mb", "8"]);
 * // { kind: "run", tui: false, sizeMb: 8, seconds: 40 }
 * ```
 */
export function parseDemoArgs(argv: readonly string[]): DemoCommand {
  let tui: boolean | "auto" = "auto";
  let sizeMb = DEFAULT_SIZE_MB;
  let seconds = DEFAULT_SECONDS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith("--") && arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined || next.startsWith("-")) {
        throw new DemoUsageError(`${name} needs a value`);
      }
      return next;
    };
    switch (name) {
      case "-h":
      case "--help":
        return { kind: "help" };
      case "--no-tui":
      case "--tui":
        if (inline !== undefined) throw new DemoUsageError(`${name} takes no value`);
        if (tui !== "auto" && tui !== (name === "--tui")) {
          throw new DemoUsageError("--tui and --no-tui contradict each other");
        }
        tui = name === "--tui";
        break;
      case "--size-mb":
        sizeMb = wholeNumber(name, value(), 1, 4096);
        break;
      case "--seconds":
        seconds = wholeNumber(name, value(), 1, 3600);
        break;
      default:
        throw new DemoUsageError(`unknown argument "${arg}"`);
    }
  }
  return { kind: "run", tui, sizeMb, seconds };
}

function wholeNumber(name: string, text: string, min: number, max: number): number {
  if (!/^\d{1,9}$/.test(text)) {
    throw new DemoUsageError(`${name} needs a whole number, not "${text}"`);
  }
  const n = Number(text);
  if (n < min || n > max) throw new DemoUsageError(`${name} must be ${min}..${max}, not ${n}`);
  return n;
}
