/**
 * Runs a real Transmission 3.00 (`transmission-daemon`) for interop tests: private config dir,
 * RPC and peer ports on 127.0.0.1, no DHT/LSD/PEX/uTP/port forwarding, encryption tolerated
 * (plaintext preferred), no seeding limits, no queueing. The torrent is driven over the
 * daemon's JSON RPC (what transmission-remote speaks), which gives structured status.
 *
 * Quirk: Transmission drops 127.x peers that a tracker hands out, but accepts incoming
 * loopback connections. So a test makes the other side dial `peerPort` (libtorrent's
 * `peers` option, or our own client); transmission-remote has no "add peer" command.
 * @module
 */

import { freePort, spawnTracked, type TrackedProcess, waitFor } from "./process.ts";
import type { TransferStats } from "./libtorrent.ts";

/** How to run Transmission with one torrent. */
export interface TransmissionOptions {
  /** Path of the `.torrent` file. */
  readonly torrent: string;
  /** Download dir: the folder holding (seed) or receiving (leech) the torrent's top file/folder. */
  readonly dir: string;
  /** "seed" verifies the data first and fails unless every piece is there. */
  readonly mode: "seed" | "leech";
  /** Bytes per second; Transmission works in kB/s (1000 bytes), rounded up. Absent: unlimited. */
  readonly uploadRateLimit?: number;
  readonly downloadRateLimit?: number;
  /** How long to wait for the daemon, the add and (seed) the verify; default 20 s. */
  readonly startTimeoutMs?: number;
}

/** A running transmission-daemon with one torrent. */
export interface TransmissionClient {
  readonly pid: number;
  /** Its BitTorrent listen port on 127.0.0.1: dial this to reach it. */
  readonly peerPort: number;
  /** Its RPC port on 127.0.0.1. */
  readonly rpcPort: number;
  /** The torrent's id in the daemon's RPC. */
  readonly torrentId: number;
  progress(): Promise<number>;
  stats(): Promise<TransferStats>;
  /** Waits until every piece is downloaded and verified. */
  waitForDone(timeoutMs: number): Promise<void>;
  /** One RPC call, for anything this wrapper does not cover. */
  rpc(method: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The daemon's log so far. */
  output(): string;
  /** Kills the daemon by PID (SIGTERM, then SIGKILL) and removes its config dir. */
  stop(): Promise<void>;
}

interface TorrentFields {
  status: number;
  percentDone: number;
  uploadedEver: number;
  downloadedEver: number;
  error: number;
  errorString: string;
}

/** torrent-get `status`: 0 stopped, 1 check wait, 2 checking, 3/4 download, 5/6 seed. */
const STATUS_SEEDING = 6;
const RPC_TIMEOUT_MS = 5_000;
const STATUS_CHECKING = [1, 2];

/**
 * Starts transmission-daemon, adds the torrent and (seed) verifies it. Resolves once the
 * torrent is running: a seed is seeding, a leech is downloading and listening.
 * @example
 * ```ts
 * const tr = await startTransmission({ torrent: "/tmp/p.torrent", dir: "/tmp/leech", mode: "leech" });
 * try {
 *   await tr.waitForDone(20_000);
 * } finally {
 *   await tr.stop();
 * }
 * ```
 */
export async function startTransmission(options: TransmissionOptions): Promise<TransmissionClient> {
  const configDir = await Deno.makeTempDir({ prefix: "transmission-config-" });
  const rpcPort = freePort();
  const peerPort = freePort();
  await Deno.writeTextFile(
    `${configDir}/settings.json`,
    JSON.stringify(settings(options, rpcPort, peerPort), null, 2),
  );
  const proc = spawnTracked("transmission-daemon", [
    "--foreground",
    "--config-dir",
    configDir,
    "--log-info",
  ], { env: { HOME: configDir } });
  try {
    const rpc = rpcClient(rpcPort);
    await waitFor(() => rpc("session-get").then(() => true, () => false), {
      timeoutMs: options.startTimeoutMs ?? 20_000,
      intervalMs: 100,
      what: "transmission-daemon RPC",
    });
    const metainfo = encodeBase64(await Deno.readFile(options.torrent));
    const added = await rpc("torrent-add", {
      metainfo,
      "download-dir": await Deno.realPath(options.dir),
      paused: options.mode === "seed",
    });
    const entry = (added["torrent-added"] ?? added["torrent-duplicate"]) as { id: number };
    const id = entry.id;
    const get = async (): Promise<TorrentFields> => {
      const reply = await rpc("torrent-get", {
        ids: [id],
        fields: ["status", "percentDone", "uploadedEver", "downloadedEver", "error", "errorString"],
      });
      const t = (reply.torrents as TorrentFields[])[0];
      if (t.error !== 0) throw new Error(`transmission torrent error: ${t.errorString}`);
      return t;
    };
    if (options.mode === "seed") {
      // Adding finds the files but does not hash them: verify explicitly, then start.
      await rpc("torrent-verify", { ids: [id] });
      // The RPC handler runs torrent-verify on the daemon's event thread, so the torrent is
      // already "check wait" or "checking" in any later reply until the verify is over.
      const checked = await waitFor(async () => {
        const t = await get();
        return STATUS_CHECKING.includes(t.status) ? undefined : t;
      }, {
        timeoutMs: options.startTimeoutMs ?? 20_000,
        intervalMs: 100,
        what: "transmission verify",
      });
      if (checked.percentDone < 1) {
        throw new Error(
          `transmission seed data incomplete: ${checked.percentDone * 100}% verified`,
        );
      }
      await rpc("torrent-start-now", { ids: [id] });
      await waitFor(async () => (await get()).status === STATUS_SEEDING, {
        timeoutMs: 5_000,
        intervalMs: 100,
        what: "transmission to start seeding",
      });
    }
    return {
      pid: proc.pid,
      peerPort,
      rpcPort,
      torrentId: id,
      progress: async () => (await get()).percentDone,
      stats: async () => {
        const t = await get();
        return { uploaded: t.uploadedEver, downloaded: t.downloadedEver, progress: t.percentDone };
      },
      waitForDone: async (timeoutMs) => {
        await waitFor(async () => (await get()).percentDone >= 1, {
          timeoutMs,
          intervalMs: 200,
          what: "transmission to have every piece",
        }).catch((e) => failWith(e, proc));
      },
      rpc,
      output: () => proc.output(),
      stop: () => stopDaemon(proc, configDir),
    };
  } catch (error) {
    await stopDaemon(proc, configDir);
    return failWith(error, proc);
  }
}

function failWith(error: unknown, proc: TrackedProcess): never {
  const log = proc.output().split("\n").slice(-15).join("\n");
  throw new Error(`${(error as Error).message}\n--- transmission log (tail) ---\n${log}`);
}

async function stopDaemon(proc: TrackedProcess, configDir: string): Promise<void> {
  await proc.stop();
  await Deno.remove(configDir, { recursive: true }).catch(() => {});
}

function settings(options: TransmissionOptions, rpcPort: number, peerPort: number) {
  const kB = (bytesPerSecond: number | undefined) => Math.ceil((bytesPerSecond ?? 0) / 1000);
  return {
    "bind-address-ipv4": "127.0.0.1",
    "bind-address-ipv6": "::1",
    "peer-port": peerPort,
    "peer-port-random-on-start": false,
    "port-forwarding-enabled": false,
    "dht-enabled": false,
    "lpd-enabled": false,
    "pex-enabled": false,
    "utp-enabled": false,
    // 0 = tolerated: plaintext preferred, encrypted accepted.
    "encryption": 0,
    "blocklist-enabled": false,
    "rpc-enabled": true,
    "rpc-bind-address": "127.0.0.1",
    "rpc-port": rpcPort,
    "rpc-authentication-required": false,
    "rpc-whitelist-enabled": true,
    "rpc-whitelist": "127.0.0.1",
    "rpc-host-whitelist-enabled": false,
    "download-dir": options.dir,
    "incomplete-dir-enabled": false,
    // Complete files keep their names while downloading, so trees compare cleanly afterwards.
    "rename-partial-files": false,
    "download-queue-enabled": false,
    "seed-queue-enabled": false,
    "queue-stalled-enabled": false,
    "ratio-limit-enabled": false,
    "idle-seeding-limit-enabled": false,
    "start-added-torrents": true,
    "peer-limit-global": 500,
    "peer-limit-per-torrent": 200,
    "speed-limit-up-enabled": options.uploadRateLimit !== undefined,
    "speed-limit-up": kB(options.uploadRateLimit),
    "speed-limit-down-enabled": options.downloadRateLimit !== undefined,
    "speed-limit-down": kB(options.downloadRateLimit),
    "watch-dir-enabled": false,
    "message-level": 2,
  };
}

/** A JSON-RPC caller that handles Transmission's X-Transmission-Session-Id handshake. */
function rpcClient(port: number) {
  const url = `http://127.0.0.1:${port}/transmission/rpc`;
  let sessionId = "";
  return async function rpc(
    method: string,
    args: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "X-Transmission-Session-Id": sessionId },
        body: JSON.stringify({ method, arguments: args }),
        signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
      });
      if (response.status === 409) {
        sessionId = response.headers.get("X-Transmission-Session-Id") ?? "";
        await response.body?.cancel();
        continue;
      }
      const reply = await response.json() as { result: string; arguments: Record<string, unknown> };
      if (reply.result !== "success") {
        throw new Error(`transmission RPC ${method}: ${reply.result}`);
      }
      return reply.arguments;
    }
    throw new Error(`transmission RPC ${method}: session id handshake failed`);
  };
}

function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
