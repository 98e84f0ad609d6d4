/**
 * The test process's own children as /proc shows them: the ground truth on which ffmpeg
 * processes exist, independent of what the transcoder believes.
 * @module
 */

/** A child process of this Deno process. */
export interface ChildProcessInfo {
  readonly pid: number;
  /** argv joined by spaces. */
  readonly cmdline: string;
}

/**
 * Children of this process whose command line contains `needle` (not yet reaped zombies are
 * left out: they no longer run).
 * @example
 * ```ts ignore
 * childProcesses("127.0.0.1:8080").length; // ffmpeg/ffprobe reading that server
 * ```
 */
export function childProcesses(needle: string): ChildProcessInfo[] {
  const found: ChildProcessInfo[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      // Fields after the parenthesized command name: state, ppid, …
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(ppid) !== Deno.pid || state === "Z") continue;
      const cmdline = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).split("\0").join(" ");
      if (cmdline.includes(needle)) found.push({ pid: Number(entry.name), cmdline });
    } catch {
      // Exited while we looked.
    }
  }
  return found;
}

/**
 * Whether PID `pid` is a live (not zombie) process.
 * @example
 * ```ts ignore
 * isRunning(Deno.pid); // true
 * ```
 */
export function isRunning(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}
