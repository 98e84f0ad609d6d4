/**
 * Readings of a live process from Linux's /proc: memory (status) and CPU time (stat), and its
 * children. Each reading is `undefined` once the process is gone, never an error, because a
 * benchmarked process may exit between two polls.
 * @module
 */

/** Memory of a process in KiB, as /proc/<pid>/status reports it. */
export interface MemoryReading {
  /** VmHWM: the peak resident set so far, kept by the kernel. */
  readonly hwmKiB: number;
  /** VmRSS = RssAnon + RssFile + RssShmem, now. */
  readonly rssKiB: number;
  /** Heap, stacks and other private memory: what the process itself allocated. */
  readonly anonKiB: number;
  /** Mapped files (the executable, libraries, and any mmap-ed data files), now. */
  readonly fileKiB: number;
}

/** CPU time a process has used since it started. */
export interface CpuReading {
  readonly userSeconds: number;
  readonly systemSeconds: number;
}

// USER_HZ, the unit of /proc/<pid>/stat times, is 100 on every Linux architecture Deno runs on.
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Parses the text of /proc/<pid>/status; `undefined` when the memory lines are missing, as
 * they are for a zombie or a kernel thread.
 * @example
 * ```ts
 * parseMemory("VmHWM:\t 10 kB\nVmRSS:\t 8 kB\nRssAnon:\t 5 kB\nRssFile:\t 3 kB\n");
 * // { hwmKiB: 10, rssKiB: 8, anonKiB: 5, fileKiB: 3 }
 * ```
 */
export function parseMemory(status: string): MemoryReading | undefined {
  const field = (name: string) => {
    const match = status.match(new RegExp(`^${name}:\\s+(\\d+) kB$`, "m"));
    return match ? Number(match[1]) : undefined;
  };
  const hwmKiB = field("VmHWM");
  const rssKiB = field("VmRSS");
  const anonKiB = field("RssAnon");
  const fileKiB = field("RssFile");
  if (hwmKiB === undefined || rssKiB === undefined) return undefined;
  if (anonKiB === undefined || fileKiB === undefined) return undefined;
  return { hwmKiB, rssKiB, anonKiB, fileKiB };
}

/**
 * Parses the text of /proc/<pid>/stat into CPU time and the parent's PID.
 * @example
 * ```ts
 * parseStat("42 (deno run) S 7 42 42 0 -1 0 0 0 0 0 150 25 0 0 20 0 9");
 * // { ppid: 7, cpu: { userSeconds: 1.5, systemSeconds: 0.25 } }
 * ```
 */
export function parseStat(stat: string): { ppid: number; cpu: CpuReading } | undefined {
  // The command name is in parentheses and may itself hold spaces or ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).trim().split(/\s+/);
  // fields[0] is field 3 (state) of proc(5): ppid is field 4, utime 14, stime 15.
  if (fields.length < 13) return undefined;
  const ppid = Number(fields[1]);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (![ppid, utime, stime].every(Number.isFinite)) return undefined;
  return {
    ppid,
    cpu: {
      userSeconds: utime / CLOCK_TICKS_PER_SECOND,
      systemSeconds: stime / CLOCK_TICKS_PER_SECOND,
    },
  };
}

/**
 * The memory of a running process, or `undefined` when it is gone.
 * @example
 * ```ts
 * const mine = readMemory(Deno.pid);
 * ```
 */
export function readMemory(pid: number): MemoryReading | undefined {
  const text = readProc(`/proc/${pid}/status`);
  return text === undefined ? undefined : parseMemory(text);
}

/**
 * The CPU time of a running process, or `undefined` when it is gone.
 * @example
 * ```ts
 * const cpu = readCpu(Deno.pid);
 * ```
 */
export function readCpu(pid: number): CpuReading | undefined {
  const text = readProc(`/proc/${pid}/stat`);
  return text === undefined ? undefined : parseStat(text)?.cpu;
}

/**
 * PIDs whose parent is `pid`, found by scanning /proc (this kernel has no
 * /proc/<pid>/task/<tid>/children).
 * @example
 * ```ts
 * const kids = childrenOf(Deno.pid);
 * ```
 */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const text = readProc(`/proc/${entry.name}/stat`);
    if (text !== undefined && parseStat(text)?.ppid === pid) out.push(Number(entry.name));
  }
  return out;
}

/**
 * The executable name of a running process (/proc/<pid>/comm), or `undefined` when it is gone.
 * @example
 * ```ts
 * commandName(Deno.pid); // "deno"
 * ```
 */
export function commandName(pid: number): string | undefined {
  return readProc(`/proc/${pid}/comm`)?.trim();
}

function readProc(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return undefined;
  }
}
