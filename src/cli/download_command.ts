/**
 * `mod.ts <torrent>...`: download (and optionally seed) torrents, with the TUI or with plain
 * progress lines, and the exit status scripts rely on.
 * @module
 */

import { parseMetainfo } from "../metainfo/parse_metainfo.ts";
import type { Metainfo } from "../metainfo/types.ts";
import { RarestFirst } from "../picker/rarest_first.ts";
import { Sequential } from "../picker/sequential.ts";
import { PeerListener } from "../torrent/peer_listener.ts";
import { standardAnnouncers } from "../tracker/announcers.ts";
import { UdpTrackerClient } from "../tracker/udp_tracker.ts";
import { Torrent } from "../torrent/torrent.ts";
import { formatBytes, formatDuration, formatRate } from "../util/format.ts";
import { formatProgressLine } from "../../tui/progress_line.ts";
import type { DownloadCommand } from "./args.ts";
import { DEFAULT_PORT } from "./args.ts";

/** Raised for a fatal problem the user must fix; printed as one line. */
export class CliError extends Error {
  override name = "CliError";
}

/** Where output goes (the terminal, or a buffer in tests). */
export interface Output {
  line(text: string): void;
  error(text: string): void;
}

/**
 * Reads and parses a .torrent file, turning every failure into a one-line {@linkcode CliError}.
 * @example
 * ```ts
 * const metainfo = await loadTorrentFile("file.torrent");
 * ```
 */
export async function loadTorrentFile(path: string): Promise<Metainfo> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return await parseMetainfo(bytes);
  } catch (error) {
    throw new CliError(`${path} is not a valid torrent: ${(error as Error).message}`);
  }
}

/**
 * Opens the peer port. The default port falls back to any free port when taken; a port the
 * user asked for must be free.
 */
export function openListener(port: number, output: Output): PeerListener {
  const onError = (message: string) => output.error(`listener: ${message}`);
  try {
    return new PeerListener({ port, onError });
  } catch (error) {
    if (port !== DEFAULT_PORT || !(error instanceof Deno.errors.AddrInUse)) {
      throw new CliError(`cannot listen on port ${port}: ${(error as Error).message}`);
    }
    output.error(`port ${port} is taken; listening on a free port instead`);
    return new PeerListener({ port: 0, onError });
  }
}

/**
 * Runs a download to the end. Resolves with the exit status.
 * @example
 * ```ts
 * const status = await runDownload(parseArgs(Deno.args) as DownloadCommand, consoleOutput);
 * ```
 */
export async function runDownload(cmd: DownloadCommand, output: Output): Promise<number> {
  for (const source of cmd.sources) {
    if (source.startsWith("magnet:")) {
      throw new CliError("magnet links are not supported yet: give a .torrent file");
    }
  }
  const metainfos = await Promise.all(cmd.sources.map(loadTorrentFile));
  // The TUI keeps seeding by default; plain mode exits once done, as scripts expect.
  const seed = cmd.seed ?? false;
  await Deno.mkdir(cmd.out, { recursive: true }).catch((error) => {
    throw new CliError(`cannot create ${cmd.out}: ${error.message}`);
  });
  const listener = openListener(cmd.port, output);
  output.line(`listening for peers on port ${listener.port}`);
  const udp = new UdpTrackerClient();
  const announcers = standardAnnouncers(udp);
  const torrents = metainfos.map((m) =>
    new Torrent(m, {
      dir: cmd.out,
      strategy: cmd.strategy === "sequential" ? new Sequential() : new RarestFirst(),
      giveUpAfterMs: cmd.giveUpSeconds * 1000,
      announcers,
      listenPort: listener.port,
      seed,
      recheck: cmd.recheck,
    })
  );
  const stopAll = async () => {
    listener.close();
    await Promise.all(torrents.map((t) => t.stop()));
    udp.close();
  };
  const interrupted = Promise.withResolvers<number>();
  const onSignal = (code: number) => () => interrupted.resolve(code);
  const sigint = onSignal(130);
  const sigterm = onSignal(143);
  Deno.addSignalListener("SIGINT", sigint);
  Deno.addSignalListener("SIGTERM", sigterm);
  const started = performance.now();
  const printed = torrents.map(() => 0);
  const printLog = () => {
    if (!cmd.verbose) return;
    torrents.forEach((t, i) => {
      // The log keeps its last 200 lines; print those not printed yet.
      const fresh = t.log.slice(Math.max(0, t.log.length - (t.logCount - printed[i])));
      for (const line of fresh) output.line(`  ${line.level}: ${line.text}`);
      printed[i] = t.logCount;
    });
  };
  let printer: ReturnType<typeof setInterval> | undefined;
  try {
    for (const t of torrents) {
      listener.register(t);
      await t.start();
      t.addPeers(cmd.peers, "--peer");
    }
    printer = setInterval(() => {
      printLog();
      for (const t of torrents) output.line(formatProgressLine(t.snapshot()));
    }, 1000);
    const finished = Promise.all(torrents.map((t) => t.whenDone())).then(() => 0);
    const status = await Promise.race([finished, interrupted.promise]);
    if (status === 0) {
      const seconds = (performance.now() - started) / 1000;
      for (const t of torrents) output.line(summary(t, seconds));
      if (seed) {
        output.line("seeding; press Ctrl+C to stop");
        const status = await interrupted.promise;
        return status === 130 || status === 143 ? 0 : status;
      }
    }
    return status;
  } catch (error) {
    throw new CliError((error as Error).message);
  } finally {
    clearInterval(printer);
    Deno.removeSignalListener("SIGINT", sigint);
    Deno.removeSignalListener("SIGTERM", sigterm);
    await stopAll();
    printLog();
    // Exact payload byte counts, for scripts and for checking what peers received.
    for (const t of torrents) {
      output.line(
        `totals: ${t.metainfo.name} downloaded=${t.down.total} uploaded=${t.up.total} wasted=${t.wasted}`,
      );
    }
  }
}

function summary(t: Torrent, seconds: number): string {
  const snap = t.snapshot();
  const fetched = snap.downloaded;
  const rate = seconds > 0 ? fetched / seconds : 0;
  return `done: ${snap.name}, ${formatBytes(snap.wantedBytes)} verified; fetched ${
    formatBytes(fetched)
  } in ${formatDuration(seconds)} (${formatRate(rate)} average) from ${t.contributors.size} peer${
    t.contributors.size === 1 ? "" : "s"
  }`;
}
