/**
 * The metadata phase of a magnet link: peers from the link, its trackers, the DHT and PEX,
 * dialed and redialed, each asked for pieces of the info dict until it is complete and verified;
 * gives up (with `--give-up`) when no peer can be reached.
 * @module
 */

import { MetadataAssembler } from "../extension/metadata_assembler.ts";
import type { MagnetLink } from "../metainfo/magnet.ts";
import type { PeerAddress } from "../tracker/types.ts";
import {
  connectPeer,
  formatAddress,
  type LocalIdentity,
  type PeerConnection,
} from "../wire/peer_connection.ts";
import { ConnectionPool } from "./connection_pool.ts";
import { MetadataSession } from "./metadata_session.ts";
import { PeerSources } from "./peer_sources.ts";
import type { LogLine, TorrentSnapshot } from "./snapshot.ts";
import type { TorrentOptions } from "./torrent_options.ts";

/** What a metadata phase needs. */
export interface MetadataPhaseOptions {
  readonly identity: LocalIdentity;
  readonly magnet: MagnetLink;
  readonly options: TorrentOptions;
  /** The info dict arrived and matched the info-hash. */
  readonly onComplete: (infoBytes: Uint8Array) => void;
  /** No peer could be reached for `giveUpAfterMs`: one line why. */
  readonly onFail: (message: string) => void;
}

/**
 * Fetches a magnet link's metadata.
 * @example
 * ```ts
 * const phase = new MetadataPhase({ identity, magnet, options, onComplete, onFail });
 * phase.start();
 * await phase.stop();
 * ```
 */
export class MetadataPhase {
  readonly assembler: MetadataAssembler;
  readonly sessions = new Set<MetadataSession>();
  readonly #o: MetadataPhaseOptions;
  readonly #pool: ConnectionPool;
  readonly #sources: PeerSources;
  readonly #log: LogLine[] = [];
  readonly #peers = new Map<string, PeerAddress>();
  /** The address each dialed session was dialed at, reported back to the pool when it ends. */
  readonly #dialed = new Map<MetadataSession, PeerAddress>();
  #ticker: ReturnType<typeof setInterval> | undefined;
  #lastPeerAt = Date.now();
  #done = false;

  constructor(options: MetadataPhaseOptions) {
    this.#o = options;
    const { magnet, identity } = options;
    this.assembler = new MetadataAssembler(magnet.infoHash);
    this.#pool = new ConnectionPool({
      maxConnections: 30,
      dial: (address) => this.#dial(address),
      connectedCount: () => this.sessions.size,
    });
    this.#sources = new PeerSources({
      metainfo: { infoHash: magnet.infoHash, announceTiers: magnet.trackers.map((url) => [url]) },
      peerId: identity.peerId,
      port: options.options.listenPort ?? 6881,
      announcers: options.options.announcers,
      dht: options.options.dht,
      stats: () => ({ uploaded: 0, downloaded: 0, left: magnet.exactLength ?? 1 }),
      onPeers: (peers, source) => this.add(peers, source),
      onLog: (level, text) => this.log(level, text),
    });
  }

  start(): void {
    this.log("info", `fetching metadata for ${this.#o.magnet.infoHashHex}`);
    this.add(this.#o.magnet.peers, "magnet");
    this.#sources.start();
    this.#lastPeerAt = Date.now();
    this.#ticker = setInterval(() => this.#tick(), 1000);
  }

  /** Learns peer addresses (they are passed on to the torrent once the metadata is in). */
  add(peers: readonly PeerAddress[], source: string): void {
    for (const p of peers) {
      this.#peers.set(formatAddress(p.host, p.port), { host: p.host, port: p.port });
    }
    this.#pool.add(peers, source);
  }

  adopt(conn: PeerConnection): void {
    if (this.#done) return conn.close();
    this.#startSession(conn);
  }

  knownPeers(): PeerAddress[] {
    return [...this.#peers.values()];
  }

  log(level: LogLine["level"], text: string): void {
    this.#log.push({ at: Date.now(), level, text });
    if (this.#log.length > 200) this.#log.shift();
  }

  logLines(): LogLine[] {
    return [...this.#log];
  }

  snapshot(): TorrentSnapshot {
    const { magnet } = this.#o;
    const pieces = this.assembler.pieceCount;
    const progress = `metadata: ${this.assembler.received}/${
      pieces || "?"
    } pieces from ${this.sessions.size} peers`;
    return {
      name: magnet.displayName ?? magnet.infoHashHex,
      infoHashHex: magnet.infoHashHex,
      state: "metadata",
      totalLength: magnet.exactLength ?? 0,
      pieceLength: 0,
      pieceCount: 0,
      verifiedBytes: 0,
      wantedBytes: magnet.exactLength ?? 0,
      pieces: new Uint8Array(),
      downRate: 0,
      upRate: 0,
      downloaded: 0,
      uploaded: 0,
      peers: [...this.sessions].map((s) => ({
        address: s.conn.address,
        client: s.client,
        amChoking: true,
        amInterested: false,
        peerChoking: true,
        peerInterested: false,
        incoming: s.conn.incoming,
        encryption: s.conn.encryption,
        downRate: 0,
        upRate: 0,
        downloaded: 0,
        uploaded: 0,
        progress: 0,
        outstanding: 0,
        requestedPieces: [],
      })),
      files: [],
      trackers: this.#sources.trackerSnapshots(),
      log: [...this.#log.slice(-49), { at: Date.now(), level: "info", text: progress }],
      rateHistory: { down: [], up: [] },
    };
  }

  async stop(): Promise<void> {
    this.#done = true;
    clearInterval(this.#ticker);
    for (const s of this.sessions) s.close("metadata phase over");
    await this.#sources.stop();
  }

  /** Once a second: dial (and redial) peers, and give up on a swarm nobody answers in. */
  #tick(): void {
    const now = Date.now();
    if (this.sessions.size > 0) this.#lastPeerAt = now;
    const giveUp = this.#o.options.giveUpAfterMs;
    // No peer for that long: give up, even with dials still planned (the user said how long).
    if (giveUp && now - this.#lastPeerAt > giveUp) {
      const reasons = this.#pool.failures().slice(0, 3);
      const trackers = this.#sources.trackerError;
      if (trackers) reasons.unshift(`trackers: ${trackers}`);
      const why = reasons.join("; ") || "no peers known";
      this.#o.onFail(
        `no peer reachable for ${Math.round(giveUp / 1000)} s to fetch the metadata (${why})`,
      );
      return;
    }
    this.#pool.pump();
  }

  async #dial(address: PeerAddress): Promise<void> {
    if (this.#done) throw new Error("metadata phase over");
    const conn = await connectPeer(address, this.#o.identity, {
      timeoutMs: this.#o.options.connectTimeoutMs ?? 10_000,
      encryption: this.#o.options.encryption,
    });
    const session = this.#startSession(conn);
    this.#dialed.set(session, address);
  }

  #startSession(conn: PeerConnection): MetadataSession {
    const session = new MetadataSession(conn, {
      assembler: this.assembler,
      localExtensions: { port: this.#o.options.listenPort, pex: true },
      dhtPort: this.#o.options.dht?.port,
      onComplete: (infoBytes) => {
        if (this.#done) return;
        this.#done = true;
        this.#o.onComplete(infoBytes);
      },
      onPex: (message) => this.add(message.added, "pex"),
      onClosed: (s, reason) => {
        this.sessions.delete(s);
        const dialed = this.#dialed.get(s);
        this.#dialed.delete(s);
        if (dialed) this.#pool.disconnected(formatAddress(dialed.host, dialed.port), s.answered);
        this.log("info", `${s.conn.address} (${s.client}) left: ${reason}`);
        this.#pool.pump();
      },
    });
    this.sessions.add(session);
    this.#lastPeerAt = Date.now();
    this.log("info", `connected to ${conn.address} (${session.client}) for metadata`);
    session.start();
    return session;
  }
}
