/**
 * Watches a running process by polling /proc: its memory peaks and its latest CPU time.
 * Polling suits the clients that stay up after a download (the kernel's VmHWM is exact for
 * them, read just before they are stopped); for one that exits by itself the last poll may
 * miss its final moments, so `rusage_wrapper.py` gives the exact figure there.
 * @module
 */

import { type CpuReading, readCpu, readMemory } from "./proc_stats.ts";

/** What a watch saw, in KiB and seconds. Zero when the process was never seen. */
export interface ProcessPeaks {
  /** The kernel's VmHWM at the last poll: peak resident set, file pages included. */
  readonly hwmKiB: number;
  /** Highest RssAnon seen: peak of private memory (heap, buffers), sampled. */
  readonly anonPeakKiB: number;
  /** Highest RssFile seen: peak of mapped-file pages, sampled. */
  readonly filePeakKiB: number;
  /** CPU time at the last poll. */
  readonly cpu: CpuReading;
  readonly samples: number;
}

/** A running watch. */
export interface ProcessWatch {
  /** Polls once more (if the process is still there), stops polling and returns the peaks. */
  stop(): ProcessPeaks;
}

/**
 * Polls `/proc/<pid>` every `intervalMs` until stopped.
 * @example
 * ```ts
 * const watch = watchProcess(Deno.pid, 50);
 * const peaks = watch.stop();
 * console.log(peaks.hwmKiB);
 * ```
 */
export function watchProcess(pid: number, intervalMs = 50): ProcessWatch {
  let hwmKiB = 0;
  let anonPeakKiB = 0;
  let filePeakKiB = 0;
  let cpu: CpuReading = { userSeconds: 0, systemSeconds: 0 };
  let samples = 0;
  const poll = () => {
    const memory = readMemory(pid);
    const now = readCpu(pid);
    if (memory === undefined || now === undefined) return;
    hwmKiB = Math.max(hwmKiB, memory.hwmKiB);
    anonPeakKiB = Math.max(anonPeakKiB, memory.anonKiB);
    filePeakKiB = Math.max(filePeakKiB, memory.fileKiB);
    cpu = now;
    samples++;
  };
  poll();
  const timer = setInterval(poll, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      poll();
      return { hwmKiB, anonPeakKiB, filePeakKiB, cpu, samples };
    },
  };
}
