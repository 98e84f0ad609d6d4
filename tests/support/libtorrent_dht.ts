/**
 * A swarm of real libtorrent DHT nodes on 127.0.0.1 for DHT interop tests: `libtorrent_dht.py`
 * under Debian's /usr/bin/python3 runs N sessions, DHT only, bootstrapped from each other (and
 * from any address given), with the settings libtorrent needs to accept loopback nodes. Session 0
 * can seed a torrent so it announces itself. Tests ask a session for a get_peers lookup and read
 * what it found. The process is stopped by PID.
 * @module
 */

import type { PeerAddress } from "../../src/tracker/types.ts";
import { spawnTracked, type TrackedProcess, waitFor } from "./process.ts";

const SCRIPT = new URL("./libtorrent_dht.py", import.meta.url).pathname;

/** How to start a swarm. */
export interface LibtorrentDhtOptions {
  /** Sessions (DHT nodes) in the swarm. */
  readonly nodes: number;
  /** Other DHT nodes every session adds to its table at start (e.g. ours). */
  readonly bootstrap?: readonly { host: string; port: number }[];
  /** Session 0 seeds this torrent (seed mode: files trusted, not checked) and so announces it. */
  readonly seed?: { readonly torrent: string; readonly dir: string };
  /** Default 15 s. */
  readonly startTimeoutMs?: number;
}

/** A running swarm. */
export interface LibtorrentDhtSwarm {
  readonly pid: number;
  /** Each session's port on 127.0.0.1: its DHT's UDP port and its TCP listen port. */
  readonly ports: readonly number[];
  /** Every session adds `host:port` to its routing table. */
  addNode(host: string, port: number): Promise<void>;
  /** The routing table sizes of the sessions, as last reported. */
  routingTableSizes(): number[];
  /** Waits until every session's routing table holds at least `min` nodes. */
  waitForRoutingTables(min: number, timeoutMs: number): Promise<void>;
  /** Session 0 announces its seeded torrent in the DHT now (libtorrent's force_dht_announce). */
  forceSeedAnnounce(): Promise<void>;
  /**
   * Has session `node` run get_peers lookups for `infoHashHex` (a new one every `retryMs`, since
   * one lookup may run before an announce has landed) until the peers its replies brought
   * satisfy `done`; resolves with them, or throws after `timeoutMs` saying `what`.
   */
  findPeers(
    node: number,
    infoHashHex: string,
    done: (peers: readonly PeerAddress[]) => boolean,
    options: { timeoutMs: number; what: string; retryMs?: number },
  ): Promise<PeerAddress[]>;
  /** Everything the script printed, for failure messages. */
  output(): string;
  /** Closes its stdin and kills it by PID. */
  stop(): Promise<void>;
}

interface PeersEvent {
  event: "peers";
  node: number;
  infoHash: string;
  peers: string[];
}

/**
 * Starts a swarm and resolves once every session listens.
 * @example
 * ```ts
 * const swarm = await startLibtorrentDht({ nodes: 4 });
 * try {
 *   await swarm.waitForRoutingTables(3, 10_000);
 *   console.log(swarm.ports);
 * } finally {
 *   await swarm.stop();
 * }
 * ```
 */
export async function startLibtorrentDht(
  options: LibtorrentDhtOptions,
): Promise<LibtorrentDhtSwarm> {
  const args = [SCRIPT, "--nodes", String(options.nodes)];
  for (const b of options.bootstrap ?? []) args.push("--bootstrap", `${b.host}:${b.port}`);
  if (options.seed) {
    args.push("--seed-torrent", options.seed.torrent, "--seed-dir", options.seed.dir);
  }
  // stdin stays open for the swarm's lifetime: the script exits when it closes, so a test
  // runner that dies cannot leave it behind.
  const proc = spawnTracked("/usr/bin/python3", args, { stdin: "piped" });
  const writer = proc.child.stdin.getWriter();
  let exited = false;
  proc.child.status.then(() => (exited = true));
  const stop = async () => {
    try {
      await writer.close();
    } catch { /* it exited already and the pipe is broken */ }
    await proc.stop();
  };
  try {
    const ready = await waitForEvents(
      proc,
      () => exited,
      (all) => all.find((e) => e.event === "ready") as { ports: number[] } | undefined,
      options.startTimeoutMs ?? 15_000,
      "libtorrent DHT sessions to listen",
    );
    const send = (command: Record<string, unknown>) =>
      writer.write(new TextEncoder().encode(JSON.stringify(command) + "\n"));
    return swarmHandle(proc, () => exited, ready.ports, send, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

function swarmHandle(
  proc: TrackedProcess,
  hasExited: () => boolean,
  ports: number[],
  send: (command: Record<string, unknown>) => Promise<void>,
  stop: () => Promise<void>,
): LibtorrentDhtSwarm {
  const sizes = () => lastOf(events(proc.output()), "status")?.nodes ?? ports.map(() => 0);
  return {
    pid: proc.pid,
    ports,
    addNode: (host, port) => send({ cmd: "add_node", host, port }),
    routingTableSizes: sizes,
    async waitForRoutingTables(min, timeoutMs) {
      await waitForEvents(
        proc,
        hasExited,
        (all) => lastOf(all, "status")?.nodes?.every((n: number) => n >= min) || undefined,
        timeoutMs,
        `every libtorrent DHT session to know ${min} nodes (sizes now ${sizes().join(",")})`,
      );
    },
    forceSeedAnnounce: () => send({ cmd: "force_seed_announce" }),
    async findPeers(node, infoHashHex, done, { timeoutMs, what, retryMs = 1000 }) {
      const hex = infoHashHex.toLowerCase();
      const found = (all: readonly Event[] = events(proc.output())) => {
        const peers = new Map<string, PeerAddress>();
        for (const e of all) {
          if (e.event !== "peers") continue;
          const p = e as unknown as PeersEvent;
          if (p.node !== node || p.infoHash !== hex) continue;
          for (const text of p.peers) {
            const at = text.lastIndexOf(":");
            peers.set(text, { host: text.slice(0, at), port: Number(text.slice(at + 1)) });
          }
        }
        return [...peers.values()];
      };
      let lastAsk = 0;
      return await waitForEvents(
        proc,
        hasExited,
        (all) => {
          const peers = found(all);
          if (done(peers)) return peers;
          if (Date.now() - lastAsk >= retryMs) {
            lastAsk = Date.now();
            send({ cmd: "get_peers", node, infoHash: hex });
          }
          return undefined;
        },
        timeoutMs,
        `${what} (libtorrent node ${node} found ${JSON.stringify(found())})`,
      );
    },
    output: () => proc.output(),
    stop,
  };
}

type Event = Record<string, unknown> & { event: string };

/** Waits until `check` returns something for the events so far, failing on error or exit. */
async function waitForEvents<T>(
  proc: TrackedProcess,
  hasExited: () => boolean,
  check: (events: readonly Event[]) => T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  try {
    return await waitFor(() => {
      const all = events(proc.output());
      const error = all.find((e) => e.event === "error");
      if (error) throw new Error(`libtorrent DHT swarm failed: ${error.message}`);
      const value = check(all);
      if (value !== undefined) return value;
      if (hasExited()) throw new Error("libtorrent DHT swarm exited");
      return undefined;
    }, { timeoutMs, intervalMs: 50, what });
  } catch (error) {
    const tail = proc.output().split("\n").filter((l) => !l.includes('"status"')).slice(-15);
    throw new Error(
      `${(error as Error).message}\n--- libtorrent DHT output (tail) ---\n${tail.join("\n")}`,
    );
  }
}

function events(text: string): Event[] {
  const out: Event[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith('{"event": ')) continue;
    try {
      out.push(JSON.parse(line) as Event);
    } catch { /* a line cut by interleaved stderr */ }
  }
  return out;
}

function lastOf(all: readonly Event[], kind: "status"): { nodes?: number[] } | undefined {
  for (let i = all.length - 1; i >= 0; i--) {
    if (all[i].event === kind) return all[i] as { nodes?: number[] };
  }
  return undefined;
}
