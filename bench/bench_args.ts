/**
 * The benchmark's command line:
 * `deno task bench [--only a,b] [--size MiB] [--rounds N] [--out FILE]`.
 * Pure, so every flag is tested without running anything.
 * @module
 */

/** A wrong benchmark command line; printed as one line with a pointer to `--help`. */
export class BenchArgsError extends Error {
  override name = "BenchArgsError";
}

/** A parsed benchmark command line. */
export interface BenchArgs {
  readonly help: boolean;
  /** Section names to run, in registry order; undefined: all of them. */
  readonly only: readonly string[] | undefined;
  /** Payload size for sections that move data. */
  readonly sizeMiB: number;
  /** How many times each client is timed; rows show the median. */
  readonly rounds: number;
  /** Where the JSON results go. */
  readonly out: string;
}

/** 1 GiB, the size the download benchmark is specified at. */
export const DEFAULT_SIZE_MIB = 1024;

/** Three rounds: a median that one disturbed run cannot move. */
export const DEFAULT_ROUNDS = 3;

/** Where results go unless `--out` says otherwise (git-ignored). */
export const DEFAULT_OUT = "bench/out/results.json";

/**
 * Parses the arguments after `bench/main.ts`; `known` are the section names `--only` accepts.
 * A leading `--` (as `deno task bench -- --size 64` may pass) is skipped.
 * @example
 * ```ts
 * parseBenchArgs(["--only", "download", "--size", "64"], ["download", "tui"]);
 * // { help: false, only: ["download"], sizeMiB: 64, rounds: 3, out: "bench/out/results.json" }
 * ```
 */
export function parseBenchArgs(argv: readonly string[], known: readonly string[]): BenchArgs {
  let help = false;
  let only: string[] | undefined;
  let sizeMiB = DEFAULT_SIZE_MIB;
  let rounds = DEFAULT_ROUNDS;
  let out = DEFAULT_OUT;
  const args = argv[0] === "--" ? argv.slice(1) : [...argv];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = splitFlag(args[i]);
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v === "") throw new BenchArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--help":
      case "-h":
        help = true;
        break;
      case "--only": {
        const names = value().split(",").map((n) => n.trim()).filter((n) => n !== "");
        const unknown = names.filter((n) => !known.includes(n));
        if (unknown.length > 0) {
          throw new BenchArgsError(
            `unknown section ${unknown.join(", ")}; sections: ${known.join(", ")}`,
          );
        }
        only = [...new Set([...(only ?? []), ...names])];
        break;
      }
      case "--size":
        sizeMiB = positive(flag, value());
        break;
      case "--rounds":
        rounds = positive(flag, value());
        break;
      case "--out":
        out = value();
        break;
      default:
        throw new BenchArgsError(`unknown argument "${args[i]}"`);
    }
  }
  return {
    help,
    only: only && known.filter((name) => only.includes(name)),
    sizeMiB,
    rounds,
    out,
  };
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf("=");
  return arg.startsWith("--") && eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
}

function positive(flag: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new BenchArgsError(`${flag} needs a whole number >= 1, not "${text}"`);
  }
  return Number(text);
}
