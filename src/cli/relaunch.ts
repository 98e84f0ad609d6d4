/**
 * Runs a transfer with V8's heap sized for it: when `deno run` started us without
 * {@linkcode HEAP_FLAGS}, the process replaces itself once (`execve`: same PID, terminal and
 * arguments) with those flags in `DENO_V8_FLAGS`.
 *
 * Why: V8 grows its young generation whenever the objects that survived collections since it
 * last grew add up to its size. A download keeps a little in flight at every collection (piece
 * writes, requests, stream reads), so the young generation doubled again and again as a
 * download went on, up to 2 × 32 MiB, and the old generation was only collected at V8's default
 * limits: peak RSS was 94 MiB for 256 MiB downloaded, 105 for 1 GiB, 129 for 4 GiB and 133 for
 * 8 GiB. With the flags, the young generation stays at 2 × 2 MiB and the old generation is
 * collected at 1.2 × its live size; the figures are in the README. Only flags can do this: V8
 * reads them once, before any script runs (`node:v8`'s `setFlagsFromString` has no effect in
 * Deno), and a worker with `resourceLimits` measured worse (a second isolate).
 *
 * Skipped, so the client simply runs untuned: off Linux; without the permissions it needs (FFI,
 * environment, reading `/proc/self/cmdline`); in a compiled binary (the `compile` task builds
 * the flags in); for a script read from stdin; with `BTTS_NO_RELAUNCH=1`; and once relaunched,
 * so it can never loop. Flags the user set in `DENO_V8_FLAGS` win over ours.
 * @module
 */

import { cString } from "../storage/libc.ts";
import { parseArgs } from "./args.ts";

/** The V8 flags a transfer runs with (the `compile` task in deno.json repeats them). */
export const HEAP_FLAGS: readonly string[] = [
  "--max-semi-space-size=2",
  "--heap-growing-percent=20",
];

/** Set in the relaunched process: it never relaunches again. */
const RELAUNCHED = "BTTS_RELAUNCHED";

/**
 * True when `args` start a download or a seed: the commands that move data for long.
 * @example
 * ```ts
 * runsTransfer(["file.torrent", "--no-tui"]); // true
 * runsTransfer(["info", "file.torrent"]); // false
 * ```
 */
export function runsTransfer(args: readonly string[]): boolean {
  try {
    const kind = parseArgs(args).kind;
    return kind === "download" || kind === "seed";
  } catch {
    return false; // main reports the usage error
  }
}

/**
 * `DENO_V8_FLAGS` with {@linkcode HEAP_FLAGS} added, except those whose name the user set.
 * @example
 * ```ts
 * withHeapFlags(undefined); // "--max-semi-space-size=2,--heap-growing-percent=20"
 * withHeapFlags("--max-semi-space-size=8"); // "--max-semi-space-size=8,--heap-growing-percent=20"
 * ```
 */
export function withHeapFlags(current: string | undefined): string {
  const flags = current ? current.split(",") : [];
  const named = new Set(flags.map(flagName));
  return [...flags, ...HEAP_FLAGS.filter((flag) => !named.has(flagName(flag)))].join(",");
}

/** A V8 flag's name: `--max-semi-space-size=2` and `--max_semi_space_size` name the same. */
function flagName(flag: string): string {
  return flag.split("=")[0].replace(/^-+/, "").replaceAll("_", "-");
}

/**
 * The arguments in a `/proc/<pid>/cmdline`: NUL-terminated strings, one after another.
 * @example
 * ```ts
 * splitCmdline(new TextEncoder().encode("deno\0run\0mod.ts\0")); // ["deno", "run", "mod.ts"]
 * ```
 */
export function splitCmdline(bytes: Uint8Array): string[] {
  const text = new TextDecoder().decode(bytes);
  const parts = text.split("\0");
  if (parts.at(-1) === "") parts.pop();
  return parts;
}

/**
 * Replaces this process with itself run with {@linkcode HEAP_FLAGS}; returns, doing nothing,
 * where that is skipped (see the module's notes) or fails.
 * @example
 * ```ts
 * relaunchWithHeapFlags(); // only returns when not relaunched
 * ```
 */
export function relaunchWithHeapFlags(): void {
  if (!relaunchAllowed()) return;
  const env = Deno.env.toObject();
  if (env[RELAUNCHED] || env.BTTS_NO_RELAUNCH === "1") return;
  const flags = withHeapFlags(env.DENO_V8_FLAGS);
  if (flags === env.DENO_V8_FLAGS) return; // the user's own flags cover ours
  let argv: string[];
  try {
    argv = splitCmdline(Deno.readFileSync("/proc/self/cmdline"));
  } catch {
    return;
  }
  if (argv.length === 0) return;
  execve("/proc/self/exe", argv, { ...env, DENO_V8_FLAGS: flags, [RELAUNCHED]: "1" });
}

function relaunchAllowed(): boolean {
  if (Deno.build.os !== "linux" || Deno.build.standalone) return false;
  // A script from stdin cannot be read a second time.
  if (Deno.mainModule.includes("$deno$stdin")) return false;
  const granted = (descriptor: Deno.PermissionDescriptor) =>
    Deno.permissions.querySync(descriptor).state === "granted";
  return granted({ name: "ffi" }) && granted({ name: "env" }) &&
    granted({ name: "read", path: "/proc/self/cmdline" });
}

const EXECVE = { execve: { parameters: ["buffer", "buffer", "buffer"], result: "i32" } } as const;

/** `execve(2)` through FFI: only returns if it failed. */
function execve(path: string, argv: readonly string[], env: Record<string, string>): void {
  let libc: Deno.DynamicLibrary<typeof EXECVE>;
  try {
    libc = Deno.dlopen("libc.so.6", EXECVE);
  } catch {
    return;
  }
  // The strings must stay reachable while execve reads them: `held` keeps them.
  const held: Uint8Array[] = [];
  const table = (items: readonly string[]) => {
    const pointers = new BigUint64Array(items.length + 1); // NULL-terminated
    items.forEach((item, i) => {
      const bytes = cString(item);
      held.push(bytes);
      pointers[i] = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(bytes)));
    });
    return pointers;
  };
  const envp = table(Object.entries(env).map(([key, value]) => `${key}=${value}`));
  libc.symbols.execve(cString(path), table(argv), envp);
  libc.close();
}
