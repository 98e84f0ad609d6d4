/**
 * Runs a real aria2 (`aria2c` 1.36) with one torrent for interop tests, driven and watched over
 * its JSON-RPC on 127.0.0.1.
 *
 * What works (and what does not), as found on Debian's aria2 1.36:
 * - aria2 has no option to dial a given peer, and its RPC cannot add one either. It does accept
 *   incoming connections on `--listen-port` for a torrent with no tracker at all, so tests make
 *   the other side dial `port` (libtorrent's `peers` option, or our client).
 * - An HTTP tracker works through the torrent's announce list or `extraTrackers`
 *   (`--bt-tracker`). UDP trackers are silently ignored while DHT is off: aria2 sends UDP
 *   tracker requests from its DHT socket.
 * - Seeding existing data: `--check-integrity=true` hashes every piece first and then seeds
 *   (`--bt-hash-check-seed` defaults to true); `--bt-seed-unverified` would trust the files.
 * - `--seed-ratio=0.0` without `--seed-time` seeds until stopped; `--enable-rpc` keeps aria2
 *   running after the download completes.
 * - `--auto-file-renaming=false`: otherwise a name clash silently downloads to `name.1`.
 * - `--stop-with-process=<our pid>`: aria2 exits by itself if the test runner dies.
 * @module
 */

import { freePort, spawnTracked, type TrackedProcess, waitFor } from "./process.ts";
import type { TransferStats } from "./libtorrent.ts";

/** How to run aria2 with one torrent. */
export interface Aria2Options {
  /** Path of the `.torrent` file. */
  readonly torrent: string;
  /** Download dir: the folder holding (seed) or receiving (leech) the torrent's top file/folder. */
  readonly dir: string;
  /** "seed" hash-checks the data first and fails unless every piece is there. */
  readonly mode: "seed" | "leech";
  /** 0 or absent: a free port. */
  readonly listenPort?: number;
  /** Bytes per second for this download; absent: unlimited. */
  readonly uploadRateLimit?: number;
  readonly downloadRateLimit?: number;
  /** Extra HTTP announce URLs (`--bt-tracker`), each its own tier. */
  readonly extraTrackers?: readonly string[];
  /** How long to wait for RPC and (seed) the hash check; default 20 s. */
  readonly startTimeoutMs?: number;
}

/** A running aria2c with one torrent. */
export interface Aria2Client {
  readonly pid: number;
  /** Its BitTorrent listen port on 127.0.0.1: dial this to reach it. */
  readonly port: number;
  readonly rpcPort: number;
  /** The download's GID in aria2's RPC. */
  readonly gid: string;
  progress(): Promise<number>;
  stats(): Promise<TransferStats>;
  /** Waits until every piece is downloaded and verified. */
  waitForDone(timeoutMs: number): Promise<void>;
  /** One RPC call (`aria2.` prefix included in `method`), for anything not covered here. */
  rpc(method: string, params?: unknown[]): Promise<unknown>;
  /** aria2's console output so far. */
  output(): string;
  /** Kills aria2 by PID (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
}

interface DownloadStatus {
  status: string;
  totalLength: string;
  completedLength: string;
  uploadLength: string;
  seeder?: string;
  verifiedLength?: string;
  verifyIntegrityPending?: string;
  errorMessage?: string;
}

const GID = "b17b17b17b17b17b";
const RPC_TIMEOUT_MS = 5_000;

/**
 * Starts aria2c with the torrent. Resolves once RPC answers and (seed) the hash check found
 * every piece.
 * @example
 * ```ts
 * const seed = await startAria2({ torrent: "/tmp/p.torrent", dir: "/tmp/seed", mode: "seed" });
 * try {
 *   console.log(seed.port);
 * } finally {
 *   await seed.stop();
 * }
 * ```
 */
export async function startAria2(options: Aria2Options): Promise<Aria2Client> {
  const rpcPort = freePort();
  const port = options.listenPort || freePort();
  const args = [
    "--no-conf=true",
    "--interface=127.0.0.1",
    "--disable-ipv6=true",
    `--listen-port=${port}`,
    "--enable-rpc=true",
    "--rpc-listen-all=false",
    `--rpc-listen-port=${rpcPort}`,
    `--stop-with-process=${Deno.pid}`,
    "--enable-dht=false",
    "--enable-dht6=false",
    "--bt-enable-lpd=false",
    "--enable-peer-exchange=false",
    "--bt-require-crypto=false",
    "--bt-max-peers=0",
    "--seed-ratio=0.0",
    `--check-integrity=${options.mode === "seed"}`,
    "--file-allocation=none",
    "--auto-file-renaming=false",
    "--allow-overwrite=false",
    "--auto-save-interval=0",
    "--summary-interval=0",
    "--console-log-level=notice",
    "--show-console-readout=false",
    `--dir=${options.dir}`,
    `--gid=${GID}`,
  ];
  if (options.uploadRateLimit) args.push(`--max-upload-limit=${options.uploadRateLimit}`);
  if (options.downloadRateLimit) args.push(`--max-download-limit=${options.downloadRateLimit}`);
  if (options.extraTrackers?.length) args.push(`--bt-tracker=${options.extraTrackers.join(",")}`);
  args.push(`--torrent-file=${options.torrent}`);

  const proc = spawnTracked("aria2c", args);
  let exited = false;
  proc.child.status.then(() => (exited = true));
  const rpc = rpcClient(rpcPort);
  const status = async (): Promise<DownloadStatus> => {
    const s = await rpc("aria2.tellStatus", [GID]) as DownloadStatus;
    if (s.status === "error") throw new Error(`aria2 download error: ${s.errorMessage}`);
    return s;
  };
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  try {
    await waitFor(() => {
      if (exited) throw new Error("aria2c exited");
      return status().then(() => true, () => false);
    }, { timeoutMs: startTimeoutMs, intervalMs: 100, what: "aria2 RPC" });
    if (options.mode === "seed") {
      const checked = await waitFor(async () => {
        const s = await status();
        return s.verifiedLength === undefined && s.verifyIntegrityPending === undefined &&
            s.status === "active"
          ? s
          : undefined;
      }, { timeoutMs: startTimeoutMs, intervalMs: 100, what: "aria2 hash check" });
      if (checked.seeder !== "true") {
        throw new Error(
          `aria2 seed data incomplete: ${checked.completedLength}/${checked.totalLength} verified`,
        );
      }
    }
  } catch (error) {
    await proc.stop();
    return failWith(error, proc);
  }
  const stats = async (): Promise<TransferStats> => {
    const s = await status();
    const total = Number(s.totalLength);
    return {
      uploaded: Number(s.uploadLength),
      downloaded: options.mode === "seed" ? 0 : Number(s.completedLength),
      progress: total === 0 ? 0 : Number(s.completedLength) / total,
    };
  };
  return {
    pid: proc.pid,
    port,
    rpcPort,
    gid: GID,
    progress: async () => (await stats()).progress,
    stats,
    waitForDone: async (timeoutMs) => {
      await waitFor(async () => {
        if (exited) throw new Error("aria2c exited");
        return (await status()).seeder === "true";
      }, { timeoutMs, intervalMs: 200, what: "aria2 to have every piece" })
        .catch((e) => failWith(e, proc));
    },
    rpc,
    output: () => proc.output(),
    stop: async () => {
      await proc.stop();
    },
  };
}

function failWith(error: unknown, proc: TrackedProcess): never {
  const log = proc.output().split("\n").slice(-15).join("\n");
  throw new Error(`${(error as Error).message}\n--- aria2 output (tail) ---\n${log}`);
}

function rpcClient(port: number) {
  let nextId = 1;
  return async function rpc(method: string, params: unknown[] = []): Promise<unknown> {
    const response = await fetch(`http://127.0.0.1:${port}/jsonrpc`, {
      method: "POST",
      body: JSON.stringify({ jsonrpc: "2.0", id: String(nextId++), method, params }),
      signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
    });
    const reply = await response.json() as { result?: unknown; error?: { message: string } };
    if (reply.error) throw new Error(`aria2 RPC ${method}: ${reply.error.message}`);
    return reply.result;
  };
}
