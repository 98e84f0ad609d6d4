/**
 * Runs a real libtorrent (rasterbar, python3-libtorrent 2.0.x) peer for interop tests and
 * benchmarks: `libtorrent_peer.py` under Debian's /usr/bin/python3, TCP only on 127.0.0.1,
 * no DHT/LSD/UPnP/NAT-PMP, several connections per IP allowed, encryption optional.
 * The script prints a JSON status line about five times a second; this side keeps the latest.
 *
 * Quirks found with python3-libtorrent 2.0.8:
 * - uTP is tried before TCP unless `enable_outgoing_utp`/`enable_incoming_utp` are off (they are).
 * - Rate limits skip loopback peers unless `ignore_limits_on_local_network` is off (it is).
 * - A seed is added without `seed_mode` and fully hash-checked: `seed_mode` trusts the files
 *   and only notices bad data when a peer requests it.
 * - `connect_peer` is forgotten once a connection drops, so `peers` are re-dialled every second.
 * - Loopback peers from a tracker (HTTP or UDP opentracker) are used as they are.
 * - Counters come from status lines up to ~0.2 s old, and a seed's upload count can trail its
 *   leech's "done" by a tick: wait for it (`waitFor(s => s.uploaded >= n, ...)`).
 * @module
 */

import { spawnTracked, type TrackedProcess, waitFor } from "./process.ts";

const SCRIPT = new URL("./libtorrent_peer.py", import.meta.url).pathname;

/** One status line of `libtorrent_peer.py`. Byte counts are payload bytes since start. */
export interface LibtorrentStatus {
  /** checking | downloading | finished | seeding | checking_resume | metadata */
  readonly state: string;
  /** The initial hash check is over (and, for a seed, passed). */
  readonly checked: boolean;
  /** 0..1, verified pieces only. */
  readonly progress: number;
  /** Checked and has every piece. */
  readonly done: boolean;
  readonly uploaded: number;
  /** Payload received once; blocks received again are counted in `redundant` instead. */
  readonly downloaded: number;
  readonly redundant: number;
  /** Bytes per second. */
  readonly uploadRate: number;
  readonly downloadRate: number;
  /** Connected peers. */
  readonly peers: number;
  /** The TCP port it listens on (127.0.0.1). */
  readonly port: number;
  /** When the line was printed, in Unix seconds (compare with `Date.now() / 1000`). */
  readonly time: number;
}

/** Payload bytes moved since the peer started, and how much of the torrent it has (0..1). */
export interface TransferStats {
  readonly uploaded: number;
  readonly downloaded: number;
  readonly progress: number;
}

/** A running libtorrent peer. */
export interface LibtorrentPeer {
  readonly pid: number;
  /** Its listen port on 127.0.0.1. */
  readonly port: number;
  /** The latest status line. */
  status(): LibtorrentStatus;
  progress(): Promise<number>;
  stats(): Promise<TransferStats>;
  /** Resolves with the first status for which `predicate` holds; throws on timeout or exit. */
  waitFor(
    predicate: (s: LibtorrentStatus) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<LibtorrentStatus>;
  /** Waits until it has every piece, verified. */
  waitForDone(timeoutMs: number): Promise<LibtorrentStatus>;
  /** Everything it printed, for failure messages. */
  output(): string;
  /** Closes its stdin and kills it by PID (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
}

/** How to run a libtorrent peer. */
export interface LibtorrentOptions {
  /** Path of the `.torrent` file. Its trackers are used as they are. */
  readonly torrent: string;
  /** Save path: the folder holding (seed) or receiving (leech) the torrent's top file/folder. */
  readonly dir: string;
  /** "seed" fails to start unless a full hash check finds every piece. */
  readonly mode: "seed" | "leech";
  /** 0 or absent: any free port. */
  readonly listenPort?: number;
  /** Bytes per second for this torrent; absent: unlimited. Applies to loopback peers too. */
  readonly uploadRateLimit?: number;
  readonly downloadRateLimit?: number;
  /** "host:port" peers to dial directly (re-dialled every second while not connected). */
  readonly peers?: readonly string[];
  /**
   * false: the torrent's `disable_pex` flag, so it learns no peer from ut_pex messages and sends
   * none (its extended handshake still lists ut_pex). Default true: PEX on.
   */
  readonly pex?: boolean;
  /** How long to wait for the hash check and the listen socket; default 15 s. */
  readonly startTimeoutMs?: number;
  /** Encryption (MSE/PE) settings; absent: both accepted, plaintext and RC4 streams allowed. */
  readonly encryption?: LibtorrentEncryption;
}

/** libtorrent's `in_enc_policy`, `out_enc_policy` and `allowed_enc_level`. */
export interface LibtorrentEncryption {
  /** Incoming connections: "forced" accepts only MSE handshakes. Default "enabled". */
  readonly incoming?: "forced" | "enabled" | "disabled";
  /** Outgoing connections: "forced" dials with an MSE handshake only. Default "enabled". */
  readonly outgoing?: "forced" | "enabled" | "disabled";
  /** Stream after an MSE handshake: "plaintext", "rc4" or "both" (default). */
  readonly level?: "plaintext" | "rc4" | "both";
}

const POLICY = { forced: 0, enabled: 1, disabled: 2 } as const;
const LEVEL = { plaintext: 1, rc4: 2, both: 3 } as const;

/**
 * Starts a libtorrent peer and resolves once it listens and its hash check is over (a seed
 * whose data is incomplete rejects here).
 * @example
 * ```ts
 * const seed = await startLibtorrent({ torrent: "/tmp/p.torrent", dir: "/tmp/seed", mode: "seed" });
 * try {
 *   console.log(seed.port, (await seed.stats()).uploaded);
 * } finally {
 *   await seed.stop();
 * }
 * ```
 */
export async function startLibtorrent(options: LibtorrentOptions): Promise<LibtorrentPeer> {
  return await launch(["--torrent", options.torrent], options);
}

/** How to run a libtorrent leech that starts from a magnet link. */
export type LibtorrentMagnetOptions = Omit<LibtorrentOptions, "torrent" | "mode"> & {
  /** The magnet link; libtorrent parses it (`x.pe` peers are dialed, `tr` trackers used). */
  readonly magnet: string;
};

/**
 * Starts a libtorrent leech from a magnet link: it fetches the metadata over ut_metadata from
 * its peers (status `state` is "metadata" until then), then downloads. Resolves once it listens.
 * @example
 * ```ts
 * const leech = await startLibtorrentMagnet({ magnet, dir: "/tmp/dl", peers: ["127.0.0.1:6881"] });
 * try {
 *   await leech.waitForDone(30_000);
 * } finally {
 *   await leech.stop();
 * }
 * ```
 */
export async function startLibtorrentMagnet(
  options: LibtorrentMagnetOptions,
): Promise<LibtorrentPeer> {
  return await launch(["--magnet", options.magnet], { ...options, mode: "leech" });
}

async function launch(
  source: string[],
  options: Omit<LibtorrentOptions, "torrent">,
): Promise<LibtorrentPeer> {
  const args = [
    SCRIPT,
    ...source,
    "--dir",
    options.dir,
    "--mode",
    options.mode,
    "--port",
    String(options.listenPort ?? 0),
  ];
  if (options.uploadRateLimit) args.push("--upload-limit", String(options.uploadRateLimit));
  if (options.downloadRateLimit) args.push("--download-limit", String(options.downloadRateLimit));
  for (const peer of options.peers ?? []) args.push("--peer", peer);
  if (options.pex === false) args.push("--disable-pex");
  const encryption = options.encryption;
  if (encryption?.incoming) args.push("--in-enc-policy", String(POLICY[encryption.incoming]));
  if (encryption?.outgoing) args.push("--out-enc-policy", String(POLICY[encryption.outgoing]));
  if (encryption?.level) args.push("--enc-level", String(LEVEL[encryption.level]));

  // stdin stays open for the peer's lifetime: the script exits when it closes, so a test
  // runner that dies cannot leave it behind.
  const proc = spawnTracked("/usr/bin/python3", args, { stdin: "piped" });
  let exited = false;
  proc.child.status.then(() => (exited = true));
  try {
    const first = await waitForStatus(
      proc,
      () => exited,
      (s) => s.checked && s.port > 0,
      options.startTimeoutMs ?? 15_000,
      `libtorrent ${options.mode} to finish its check and listen`,
    );
    return peerHandle(proc, () => exited, first.port);
  } catch (error) {
    await stopProcess(proc);
    throw error;
  }
}

function peerHandle(proc: TrackedProcess, hasExited: () => boolean, port: number): LibtorrentPeer {
  const status = () => {
    const s = latestStatus(proc.output());
    if (!s) throw new Error("libtorrent peer printed no status");
    return s;
  };
  const waitFor = (predicate: (s: LibtorrentStatus) => boolean, ms: number, what: string) =>
    waitForStatus(proc, hasExited, predicate, ms, what);
  return {
    pid: proc.pid,
    port,
    status,
    progress: () => Promise.resolve(status().progress),
    stats: () => {
      const s = status();
      return Promise.resolve({
        uploaded: s.uploaded,
        downloaded: s.downloaded,
        progress: s.progress,
      });
    },
    waitFor,
    waitForDone: (ms) => waitFor((s) => s.done, ms, "libtorrent to have every piece"),
    output: () => proc.output(),
    stop: () => stopProcess(proc),
  };
}

async function waitForStatus(
  proc: TrackedProcess,
  hasExited: () => boolean,
  predicate: (s: LibtorrentStatus) => boolean,
  timeoutMs: number,
  what: string,
): Promise<LibtorrentStatus> {
  try {
    return await waitFor(() => {
      const text = proc.output();
      const error = errorEvent(text);
      if (error) throw new Error(`libtorrent peer failed: ${error}`);
      const s = latestStatus(text);
      if (s && predicate(s)) return s;
      if (hasExited()) throw new Error("libtorrent peer exited");
      return undefined;
    }, { timeoutMs, intervalMs: 100, what });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- libtorrent output (tail) ---\n${tail(proc)}`);
  }
}

/** The last complete status line in `text`. */
function latestStatus(text: string): LibtorrentStatus | undefined {
  let end = text.lastIndexOf("\n");
  while (end > 0) {
    const start = text.lastIndexOf("\n", end - 1) + 1;
    const line = text.slice(start, end);
    if (line.startsWith('{"event": "status"')) {
      try {
        return JSON.parse(line) as LibtorrentStatus;
      } catch { /* a line cut by interleaved stderr; try the one before */ }
    }
    end = start - 1;
  }
  return undefined;
}

function errorEvent(text: string): string | undefined {
  const at = text.indexOf('{"event": "error"');
  if (at < 0) return undefined;
  const newline = text.indexOf("\n", at);
  const line = text.slice(at, newline < 0 ? undefined : newline);
  try {
    return (JSON.parse(line) as { message: string }).message;
  } catch {
    return line;
  }
}

function tail(proc: TrackedProcess): string {
  return proc.output().split("\n").slice(-15).join("\n");
}

async function stopProcess(proc: TrackedProcess): Promise<void> {
  try {
    await proc.child.stdin.close();
  } catch { /* it exited already and the pipe is broken */ }
  await proc.stop();
}
