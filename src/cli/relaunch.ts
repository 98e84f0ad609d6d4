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
 * environment, reading `/proc/self/cmdline` and `environ`); in a compiled binary (the `compile` task builds
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
 * The entries of a `/proc/<pid>/cmdline` or `environ`: NUL-terminated byte strings, each kept
 * with its NUL and as bytes, so an argument or a variable that is not UTF-8 passes on unchanged.
 * @example
 * ```ts
 * splitNulTerminated(new TextEncoder().encode("deno\0run\0")); // [bytes "deno\0", bytes "run\0"]
 * ```
 */
export function splitNulTerminated(bytes: Uint8Array): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0) {
      entries.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  return entries;
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
  if (Deno.env.get(RELAUNCHED) || Deno.env.get("BTTS_NO_RELAUNCH") === "1") return;
  const current = Deno.env.get("DENO_V8_FLAGS");
  const flags = withHeapFlags(current);
  if (flags === current) return; // the user's own flags cover ours
  let argv: Uint8Array[];
  let env: Uint8Array[];
  try {
    // Read as bytes rather than rebuilt from Deno.args and Deno.env, which decode them as
    // UTF-8 and leave out variables that are not: a player we start must still get those.
    argv = splitNulTerminated(Deno.readFileSync("/proc/self/cmdline"));
    env = splitNulTerminated(Deno.readFileSync("/proc/self/environ"));
  } catch {
    return;
  }
  if (argv.length === 0) return;
  const replaced = [`DENO_V8_FLAGS=`, `${RELAUNCHED}=`].map((prefix) =>
    new TextEncoder().encode(prefix)
  );
  const kept = env.filter((entry) =>
    !replaced.some((prefix) => prefix.every((byte, i) => entry[i] === byte))
  );
  execve("/proc/self/exe", argv, [
    ...kept,
    cString(`DENO_V8_FLAGS=${flags}`),
    cString(`${RELAUNCHED}=1`),
  ]);
}

function relaunchAllowed(): boolean {
  if (Deno.build.os !== "linux" || Deno.build.standalone) return false;
  // A script from stdin cannot be read a second time.
  if (Deno.mainModule.includes("$deno$stdin")) return false;
  const granted = (descriptor: Deno.PermissionDescriptor) =>
    Deno.permissions.querySync(descriptor).state === "granted";
  return granted({ name: "ffi" }) && granted({ name: "env" }) &&
    granted({ name: "read", path: "/proc/self/cmdline" }) &&
    granted({ name: "read", path: "/proc/self/environ" });
}

const EXECVE = { execve: { parameters: ["buffer", "buffer", "buffer"], result: "i32" } } as const;

/** `execve(2)` through FFI, with NUL-terminated entries: only returns if it failed. */
function execve(path: string, argv: readonly Uint8Array[], env: readonly Uint8Array[]): void {
  let libc: Deno.DynamicLibrary<typeof EXECVE>;
  try {
    libc = Deno.dlopen("libc.so.6", EXECVE);
  } catch {
    return;
  }
  // The entries stay reachable (`argv`, `env`) while execve reads them through these pointers.
  const table = (entries: readonly Uint8Array[]) => {
    const pointers = new BigUint64Array(entries.length + 1); // NULL-terminated
    entries.forEach((entry, i) => {
      pointers[i] = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(entry)));
    });
    return pointers;
  };
  libc.symbols.execve(cString(path), table(argv), table(env));
  libc.close();
}
