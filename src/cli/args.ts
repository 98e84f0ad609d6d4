/**
 * The command line, parsed into one typed command. Pure: no I/O, so every flag is unit-tested.
 * @module
 */

import { parsePeerAddress } from "../tracker/peer_address.ts";
import type { PeerAddress } from "../tracker/types.ts";
import {
  ENCRYPTION_POLICIES,
  type EncryptionPolicy,
  isEncryptionPolicy,
} from "../wire/encryption_policy.ts";

/** A wrong command line; printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Options of a download (`mod.ts <torrent|magnet>`). */
export interface DownloadCommand {
  readonly kind: "download";
  /** .torrent paths or magnet links. */
  readonly sources: readonly string[];
  readonly out: string;
  /** "auto": the TUI when stdout is a terminal. */
  readonly tui: boolean | "auto";
  readonly peers: readonly PeerAddress[];
  readonly port: number;
  /** Keep seeding after the download; undefined means the mode's default. */
  readonly seed: boolean | undefined;
  /** Streaming server port (0: any free port); undefined: no server. */
  readonly stream: number | undefined;
  /** Address the streaming server listens on (loopback unless asked). */
  readonly streamHost: string;
  /** Start this media player on the main file's stream URL. */
  readonly player: "mpv" | "vlc" | undefined;
  /** `--select`: the only files to download (metainfo indexes); undefined: all. */
  readonly select: readonly number[] | undefined;
  readonly strategy: "rarest-first" | "sequential";
  /** Give up when no peer was reachable for this many seconds. */
  readonly giveUpSeconds: number;
  /** Hash-check existing data even when the resume file vouches for it. */
  readonly recheck: boolean;
  /** Print the event log (peers coming and going, tracker replies) in plain mode. */
  readonly verbose: boolean;
  /** Plain mode with one JSON object a line instead of text (implies no TUI). */
  readonly json: boolean;
  /** Run a DHT node (default on). */
  readonly dht: boolean;
  /** DHT nodes to join through (instead of the public routers). */
  readonly dhtBootstrap: readonly PeerAddress[];
  /** Where the DHT routing table is kept between runs; undefined: the user's cache folder. */
  readonly dhtState: string | undefined;
  /** `--encryption`: how peer connections use MSE (default "tolerate"). */
  readonly encryption: EncryptionPolicy;
}

/** Every command. */
export type Command =
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | DownloadCommand
  | {
    readonly kind: "info";
    /** A .torrent file, or a magnet link whose metadata is fetched first. */
    readonly torrent: string;
    readonly peers: readonly PeerAddress[];
    readonly dht: boolean;
    readonly dhtBootstrap: readonly PeerAddress[];
    readonly giveUpSeconds: number;
    /** For the peers a magnet link's metadata is fetched from. */
    readonly encryption: EncryptionPolicy;
  }
  | { readonly kind: "magnet"; readonly torrent: string }
  | {
    readonly kind: "create";
    readonly path: string;
    readonly trackers: readonly string[];
    readonly pieceLength: number | undefined;
    readonly output: string;
    readonly comment: string | undefined;
    readonly private: boolean;
  }
  | {
    readonly kind: "seed";
    readonly torrent: string;
    readonly dir: string;
    readonly port: number;
    readonly tui: boolean | "auto";
    readonly verbose: boolean;
    readonly dht: boolean;
    readonly encryption: EncryptionPolicy;
  };

/** Port we listen on when none is given. */
export const DEFAULT_PORT = 6881;

/**
 * Parses `Deno.args`.
 * @example
 * ```ts
 * parseArgs(["file.torrent", "--out", "dl", "--no-tui"]);
 * // { kind: "download", sources: ["file.torrent"], out: "dl", tui: false, ... }
 * ```
 */
export function parseArgs(argv: readonly string[]): Command {
  const args = new ArgReader(argv);
  if (args.flag("--help", "-h")) return { kind: "help" };
  if (args.flag("--version", "-V")) return { kind: "version" };
  const first = args.peekPositional();
  switch (first) {
    case "info": {
      args.takePositional();
      const peers = args.all("--peer").map(addressOption);
      const dht = !args.flag("--no-dht");
      const dhtBootstrap = args.all("--dht-bootstrap").map(addressOption);
      const giveUpSeconds = args.optionalNumber("--give-up") ?? 60;
      const encryption = args.encryption();
      const torrent = args.requirePositional("a .torrent file or a magnet link");
      args.end();
      return { kind: "info", torrent, peers, dht, dhtBootstrap, giveUpSeconds, encryption };
    }
    case "magnet": {
      args.takePositional();
      const torrent = args.requirePositional("a .torrent file");
      args.end();
      return { kind: "magnet", torrent };
    }
    case "create": {
      args.takePositional();
      const trackers = args.all("--tracker", "-t");
      const pieceLength = args.optionalNumber("--piece-length");
      const output = args.value("--output", "-o");
      const comment = args.value("--comment");
      const isPrivate = args.flag("--private");
      const path = args.requirePositional("a file or folder to make a torrent of");
      args.end();
      if (!output) throw new UsageError("create needs -o <file.torrent>");
      if (pieceLength !== undefined && (pieceLength < 16384 || (pieceLength & (pieceLength - 1)))) {
        throw new UsageError("--piece-length must be a power of two of at least 16384");
      }
      return { kind: "create", path, trackers, pieceLength, output, comment, private: isPrivate };
    }
    case "seed": {
      args.takePositional();
      const dir = args.value("--dir", "-d");
      const port = args.optionalPort() ?? DEFAULT_PORT;
      const tui = args.flag("--no-tui") ? false : "auto";
      const verbose = args.flag("--verbose", "-v");
      const dht = !args.flag("--no-dht");
      const encryption = args.encryption();
      const torrent = args.requirePositional("a .torrent file");
      args.end();
      if (!dir) throw new UsageError("seed needs --dir <folder with the data>");
      return { kind: "seed", torrent, dir, port, tui, verbose, dht, encryption };
    }
  }
  const out = args.value("--out", "-o") ?? ".";
  const json = args.flag("--json");
  const noTui = args.flag("--no-tui") || json;
  const peers = args.all("--peer").map(addressOption);
  const port = args.optionalPort() ?? DEFAULT_PORT;
  const seedOn = args.flag("--seed");
  const seedOff = args.flag("--no-seed");
  if (seedOn && seedOff) throw new UsageError("--seed and --no-seed contradict each other");
  let stream = args.optionalStream();
  const streamHost = args.value("--stream-host") ?? "127.0.0.1";
  const mpv = args.flag("--mpv");
  const vlc = args.flag("--vlc");
  if (mpv && vlc) throw new UsageError("--mpv and --vlc: choose one player");
  const player = mpv ? "mpv" : vlc ? "vlc" : undefined;
  // A player needs the stream server.
  if (player && stream === undefined) stream = 0;
  const selectText = args.value("--select");
  const select = selectText === undefined ? undefined : parseSelection(selectText);
  const sequential = args.flag("--sequential");
  const giveUpSeconds = args.optionalNumber("--give-up") ?? 120;
  const recheck = args.flag("--recheck");
  const verbose = args.flag("--verbose", "-v");
  const dht = !args.flag("--no-dht");
  const dhtBootstrap = args.all("--dht-bootstrap").map(addressOption);
  const dhtState = args.value("--dht-state");
  const encryption = args.encryption();
  const sources = args.restPositionals();
  args.end();
  if (sources.length === 0) throw new UsageError("give a .torrent file or a magnet link");
  return {
    kind: "download",
    sources,
    out,
    tui: noTui ? false : "auto",
    peers,
    port,
    seed: seedOn ? true : seedOff ? false : undefined,
    stream,
    streamHost,
    player,
    select,
    strategy: sequential ? "sequential" : "rarest-first",
    giveUpSeconds,
    recheck,
    verbose,
    json,
    dht,
    dhtBootstrap,
    dhtState,
    encryption,
  };
}

function addressOption(text: string): PeerAddress {
  try {
    return parsePeerAddress(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * A file selection like `0,2-4`: ascending indexes without repeats.
 * @example
 * ```ts
 * parseSelection("3,0-1"); // [0, 1, 3]
 * ```
 */
export function parseSelection(text: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\d{1,7})(?:-(\d{1,7}))?$/.exec(part.trim());
    if (!m) throw new UsageError(`bad --select "${text}": expected indexes like 0,2-4`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new UsageError(`bad --select range "${part}"`);
    if (to - from > 100_000) throw new UsageError(`--select range "${part}" is too large`);
    for (let i = from; i <= to; i++) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}

/** Consumes flags from anywhere in argv; positionals are what is left. */
class ArgReader {
  readonly #argv: (string | undefined)[];

  constructor(argv: readonly string[]) {
    this.#argv = [...argv];
  }

  flag(...names: string[]): boolean {
    let seen = false;
    this.#argv.forEach((a, i) => {
      if (a !== undefined && names.includes(a)) {
        this.#argv[i] = undefined;
        seen = true;
      }
    });
    return seen;
  }

  /** Every value of a repeatable `--name value` / `--name=value` option. */
  all(...names: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.#argv.length; i++) {
      const a = this.#argv[i];
      if (a === undefined) continue;
      const name = names.find((n) => a === n || a.startsWith(`${n}=`));
      if (!name) continue;
      this.#argv[i] = undefined;
      if (a.length > name.length) {
        out.push(a.slice(name.length + 1));
      } else {
        const v = this.#argv[i + 1];
        if (v === undefined || v.startsWith("--")) throw new UsageError(`${name} needs a value`);
        this.#argv[++i] = undefined;
        out.push(v);
      }
    }
    return out;
  }

  value(...names: string[]): string | undefined {
    const values = this.all(...names);
    if (values.length > 1) throw new UsageError(`${names[0]} given more than once`);
    return values[0];
  }

  optionalNumber(name: string): number | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new UsageError(`${name} needs a whole number, not "${v}"`);
    return Number(v);
  }

  optionalPort(): number | undefined {
    const port = this.optionalNumber("--port");
    if (port !== undefined && port > 65535) throw new UsageError("--port must be 0..65535");
    return port;
  }

  /** `--encryption MODE`, default "tolerate". */
  encryption(): EncryptionPolicy {
    const mode = this.value("--encryption") ?? "tolerate";
    if (isEncryptionPolicy(mode)) return mode;
    throw new UsageError(
      `bad --encryption "${mode}": expected ${ENCRYPTION_POLICIES.join(", ")}`,
    );
  }

  /** `--stream` alone (port 8888) or `--stream=PORT` (0: any free port). */
  optionalStream(): number | undefined {
    let port: number | undefined;
    this.#argv.forEach((a, i) => {
      if (a === "--stream") port = 8888;
      else if (a?.startsWith("--stream=")) {
        const v = a.slice("--stream=".length);
        if (!/^\d+$/.test(v) || +v > 65535) throw new UsageError(`bad --stream port "${v}"`);
        port = Number(v);
      } else return;
      this.#argv[i] = undefined;
    });
    return port;
  }

  peekPositional(): string | undefined {
    return this.#argv.find((a) => a !== undefined && !a.startsWith("-"));
  }

  takePositional(): string | undefined {
    const i = this.#argv.findIndex((a) => a !== undefined && !a.startsWith("-"));
    if (i < 0) return undefined;
    const v = this.#argv[i];
    this.#argv[i] = undefined;
    return v;
  }

  requirePositional(what: string): string {
    return this.takePositional() ?? (() => {
      throw new UsageError(`missing ${what}`);
    })();
  }

  restPositionals(): string[] {
    const out: string[] = [];
    for (let v = this.takePositional(); v !== undefined; v = this.takePositional()) out.push(v);
    return out;
  }

  /** Anything left over is a mistake worth reporting. */
  end(): void {
    const left = this.#argv.find((a) => a !== undefined);
    if (left !== undefined) throw new UsageError(`unknown option or extra argument "${left}"`);
  }
}
