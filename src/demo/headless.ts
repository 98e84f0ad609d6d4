/**
 * The demo without the TUI (`--no-tui`): a progress line a second until the download is done.
 * @module
 */

import type { Torrent } from "../torrent/torrent.ts";
import { formatBytes, formatDuration, formatRate } from "../util/format.ts";
import { formatProgressLine } from "../../tui/progress_line.ts";

/**
 * Prints progress until `torrent` is done (resolves "done") or `signal` aborts (resolves
 * "aborted"); rejects when the torrent fails.
 * @example
 * ```ts
 * const outcome = await runHeadless(swarm.downloader, console.log, shutdown.signal);
 * ```
 */
export async function runHeadless(
  torrent: Torrent,
  print: (line: string) => void,
  signal: AbortSignal,
): Promise<"done" | "aborted"> {
  const started = performance.now();
  const aborted = Promise.withResolvers<"aborted">();
  const onAbort = () => aborted.resolve("aborted");
  if (signal.aborted) onAbort();
  signal.addEventListener("abort", onAbort, { once: true });
  const printer = setInterval(() => print(formatProgressLine(torrent.snapshot())), 1000);
  try {
    const outcome = await Promise.race([
      torrent.whenDone().then(() => "done" as const),
      aborted.promise,
    ]);
    if (outcome === "done") print(summary(torrent, (performance.now() - started) / 1000));
    return outcome;
  } finally {
    clearInterval(printer);
    signal.removeEventListener("abort", onAbort);
  }
}

function summary(torrent: Torrent, seconds: number): string {
  const snap = torrent.snapshot();
  const peers = torrent.contributors.size;
  return `done: ${snap.name}, ${formatBytes(snap.wantedBytes)} verified in ${
    formatDuration(seconds)
  } (${formatRate(snap.downloaded / seconds)} average) from ${peers} peer${peers === 1 ? "" : "s"}`;
}
