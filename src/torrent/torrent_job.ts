/**
 * A torrent the client runs, from a .torrent file or from a magnet link. For a magnet link it
 * first finds peers (the link's peers and trackers, the DHT, PEX), fetches the metadata from
 * them (BEP 9), saves it as a .torrent beside the download, and then runs the {@linkcode Torrent}.
 * @module
 */

import { MetadataAssembler } from "../extension/metadata_assembler.ts";
import { metainfoFromInfoDict } from "../extension/metainfo_from_metadata.ts";
import type { MagnetLink } from "../metainfo/magnet.ts";
import { parseMetainfo } from "../metainfo/parse_metainfo.ts";
import type { Metainfo } from "../metainfo/types.ts";
import type { PeerAddress } from "../tracker/types.ts";
import { connectPeer, type LocalIdentity, type PeerConnection } from "../wire/peer_connection.ts";
import { AnnounceLoop } from "./announce_loop.ts";
import { ConnectionPool } from "./connection_pool.ts";
import { DhtPeerSource } from "./dht_peer_source.ts";
import { MetadataSession } from "./metadata_session.ts";
import { makePeerId } from "./peer_id.ts";
import type { FilePriority, LogLine, TorrentSnapshot } from "./snapshot.ts";
import { Torrent, type TorrentOptions } from "./torrent.ts";

/** Where a job's torrent comes from. */
export type TorrentSource = { readonly metainfo: Metainfo } | { readonly magnet: MagnetLink };

/**
 * A torrent from either source, with one interface for the CLI, the TUI and the listener.
 * @example
 * ```ts
 * const job = new TorrentJob({ magnet: parseMagnet(uri) }, { dir: "downloads" });
 * await job.start();
 * await job.whenDone();
 * await job.stop();
 * ```
 */
export class TorrentJob {
  readonly identity: LocalIdentity;
  /** The running torrent, once the metadata is known. */
  torrent: Torrent | undefined;
  readonly #source: TorrentSource;
  readonly #options: TorrentOptions;
  readonly #ready = Promise.withResolvers<Torrent>();
  #metadata: MetadataPhase | undefined;
  #stopped = false;

  constructor(source: TorrentSource, options: TorrentOptions) {
    this.#source = source;
    // BEP 53: a magnet's `so` selects files, unless the user chose with --select.
    const select = options.select ?? ("magnet" in source ? source.magnet.selectOnly : undefined);
    this.#options = { ...options, select, peerId: options.peerId ?? makePeerId() };
    const infoHash = "metainfo" in source ? source.metainfo.infoHash : source.magnet.infoHash;
    this.identity = {
      infoHash,
      peerId: this.#options.peerId!,
      features: { extended: true, fast: true, dht: options.dht !== undefined },
    };
    this.#ready.promise.catch(() => {});
  }

  get infoHashHex(): string {
    return "metainfo" in this.#source
      ? this.#source.metainfo.infoHashHex
      : this.#source.magnet.infoHashHex;
  }

  /** The torrent's name, or the magnet's `dn` (or info-hash) until the metadata arrives. */
  get name(): string {
    if (this.torrent) return this.torrent.metainfo.name;
    return "magnet" in this.#source
      ? this.#source.magnet.displayName ?? this.infoHashHex
      : this.#source.metainfo.name;
  }

  /** Where a fetched metadata is kept, so a restart needs no peer. */
  get savedTorrentPath(): string {
    return `${this.#options.dir.replace(/\/+$/, "") || "/"}/.${this.infoHashHex}.torrent`;
  }

  /** Starts the torrent, or the metadata phase of a magnet link. */
  async start(): Promise<void> {
    if ("metainfo" in this.#source) return await this.#run(this.#source.metainfo, []);
    const saved = await this.#loadSaved();
    if (saved) return await this.#run(saved, this.#magnetPeers());
    this.#metadata = new MetadataPhase(this, this.#source.magnet, this.#options, (infoBytes) => {
      this.#metadataArrived(infoBytes).catch((error) => this.#ready.reject(error));
    });
    this.#metadata.start();
  }

  /** Resolves with the torrent once its metadata is known. */
  whenReady(): Promise<Torrent> {
    return this.#ready.promise;
  }

  /** Resolves when every wanted piece is verified; rejects on a fatal error. */
  async whenDone(): Promise<void> {
    await (await this.#ready.promise).whenDone();
  }

  addPeers(addresses: readonly PeerAddress[], source: string): void {
    if (this.torrent) this.torrent.addPeers(addresses, source);
    else this.#metadata?.pool.add(addresses, source);
  }

  adopt(conn: PeerConnection): void {
    if (this.torrent) this.torrent.adopt(conn);
    else if (this.#metadata) this.#metadata.adopt(conn);
    else conn.close();
  }

  snapshot(): TorrentSnapshot {
    return this.torrent?.snapshot() ?? this.#metadata!.snapshot();
  }

  pause(): void {
    this.torrent?.pause();
  }

  resume(): void {
    this.torrent?.resume();
  }

  setFilePriority(fileIndex: number, priority: FilePriority): void {
    this.torrent?.setFilePriority(fileIndex, priority);
  }

  openInPlayer(fileIndex: number): void {
    this.torrent?.openInPlayer?.(fileIndex);
  }

  /** The event log (the metadata phase's, then the torrent's). */
  get log(): readonly LogLine[] {
    return this.torrent?.log ?? this.#metadata?.logLines() ?? [];
  }

  /** Lines ever logged. */
  get logCount(): number {
    return this.torrent?.logCount ?? this.#metadata?.logLines().length ?? 0;
  }

  /** The state, and the reason when it is "error". */
  get state(): { state: TorrentSnapshot["state"]; error?: string } {
    const t = this.torrent;
    return t ? { state: t.state, error: t.error } : { state: "metadata" };
  }

  /** Payload byte counts so far. */
  totals(): { downloaded: number; uploaded: number; wasted: number } {
    const t = this.torrent;
    return t
      ? { downloaded: t.down.total, uploaded: t.up.total, wasted: t.wasted }
      : { downloaded: 0, uploaded: 0, wasted: 0 };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#metadata?.stop();
    await this.torrent?.stop();
    this.#ready.reject(new Error("stopped before the metadata arrived"));
  }

  #magnetPeers(): PeerAddress[] {
    return "magnet" in this.#source ? [...this.#source.magnet.peers] : [];
  }

  async #loadSaved(): Promise<Metainfo | undefined> {
    try {
      const m = await parseMetainfo(await Deno.readFile(this.savedTorrentPath));
      return m.infoHashHex === this.infoHashHex ? m : undefined;
    } catch {
      return undefined;
    }
  }

  async #metadataArrived(infoBytes: Uint8Array): Promise<void> {
    const phase = this.#metadata!;
    const magnet = (this.#source as { magnet: MagnetLink }).magnet;
    const { metainfo, torrentBytes } = await metainfoFromInfoDict(
      infoBytes,
      magnet.trackers.map((url) => [url]),
    );
    await Deno.mkdir(this.#options.dir, { recursive: true });
    await Deno.writeFile(this.savedTorrentPath, torrentBytes);
    const known = phase.knownPeers();
    await phase.stop();
    if (this.#stopped) return;
    phase.log("info", `metadata fetched and verified: ${metainfo.name}`);
    await this.#run(metainfo, [...this.#magnetPeers(), ...known], phase.logLines());
    this.#metadata = undefined;
  }

  async #run(metainfo: Metainfo, peers: PeerAddress[], log: LogLine[] = []): Promise<void> {
    const torrent = new Torrent(metainfo, this.#options);
    torrent.log.push(...log);
    torrent.logCount = log.length;
    this.torrent = torrent;
    await torrent.start();
    torrent.addPeers(peers, "magnet");
    this.#ready.resolve(torrent);
  }
}

/** The metadata phase of a magnet link: its own peers, trackers and DHT lookups. */
class MetadataPhase {
  readonly pool: ConnectionPool;
  readonly assembler: MetadataAssembler;
  readonly sessions = new Set<MetadataSession>();
  readonly #job: TorrentJob;
  readonly #magnet: MagnetLink;
  readonly #options: TorrentOptions;
  readonly #onComplete: (infoBytes: Uint8Array) => void;
  readonly #log: LogLine[] = [];
  readonly #peers = new Map<string, PeerAddress>();
  #announce: AnnounceLoop | undefined;
  #dht: DhtPeerSource | undefined;
  #done = false;

  constructor(
    job: TorrentJob,
    magnet: MagnetLink,
    options: TorrentOptions,
    onComplete: (infoBytes: Uint8Array) => void,
  ) {
    this.#job = job;
    this.#magnet = magnet;
    this.#options = options;
    this.#onComplete = onComplete;
    this.assembler = new MetadataAssembler(magnet.infoHash);
    this.pool = new ConnectionPool({
      maxConnections: 30,
      dial: (address) => this.#dial(address),
      connectedCount: () => this.sessions.size,
    });
  }

  start(): void {
    this.log("info", `fetching metadata for ${this.#magnet.infoHashHex}`);
    this.add(this.#magnet.peers, "magnet");
    const { announcers, dht } = this.#options;
    if (announcers && this.#magnet.trackers.length > 0) {
      this.#announce = AnnounceLoop.forTorrent({
        metainfo: {
          infoHash: this.#magnet.infoHash,
          announceTiers: this.#magnet.trackers.map((url) => [url]),
        },
        peerId: this.#job.identity.peerId,
        port: this.#options.listenPort ?? 6881,
        announcers,
        stats: () => ({ uploaded: 0, downloaded: 0, left: this.#magnet.exactLength ?? 1 }),
        onPeers: (peers) => this.add(peers, "tracker"),
        onError: (message) => this.log("warn", `trackers: ${message}`),
      });
      this.#announce.start();
    }
    if (dht) {
      this.#dht = new DhtPeerSource({
        dht,
        infoHash: this.#magnet.infoHash,
        port: this.#options.listenPort ?? 6881,
        onPeers: (peers) => this.add(peers, "dht"),
        onLog: (text) => this.log("info", text),
      });
      this.#dht.start();
    }
  }

  add(peers: readonly PeerAddress[], source: string): void {
    for (const p of peers) this.#peers.set(`${p.host}|${p.port}`, { host: p.host, port: p.port });
    this.pool.add(peers, source);
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
    const received = this.assembler.received;
    const pieces = this.assembler.pieceCount;
    return {
      name: this.#magnet.displayName ?? this.#magnet.infoHashHex,
      infoHashHex: this.#magnet.infoHashHex,
      state: "metadata",
      totalLength: this.#magnet.exactLength ?? 0,
      pieceLength: 0,
      pieceCount: 0,
      verifiedBytes: 0,
      wantedBytes: this.#magnet.exactLength ?? 0,
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
        downRate: 0,
        upRate: 0,
        downloaded: 0,
        uploaded: 0,
        progress: 0,
        outstanding: 0,
        requestedPieces: [],
      })),
      files: [],
      trackers: this.#announce?.snapshot() ?? [],
      log: [
        ...this.#log.slice(-49),
        {
          at: Date.now(),
          level: "info",
          text: `metadata: ${received}/${pieces || "?"} pieces from ${this.sessions.size} peers`,
        },
      ],
      rateHistory: { down: [], up: [] },
    };
  }

  async stop(): Promise<void> {
    this.#done = true;
    this.#dht?.stop();
    for (const s of this.sessions) s.close("metadata phase over");
    await this.#announce?.stop();
  }

  async #dial(address: PeerAddress): Promise<void> {
    if (this.#done) throw new Error("metadata phase over");
    const conn = await connectPeer(address, this.#job.identity, {
      timeoutMs: this.#options.connectTimeoutMs ?? 10_000,
    });
    this.#startSession(conn);
  }

  #startSession(conn: PeerConnection): void {
    const session = new MetadataSession(conn, {
      assembler: this.assembler,
      localExtensions: { port: this.#options.listenPort, pex: true },
      dhtPort: this.#options.dht?.port,
      onComplete: (infoBytes) => {
        if (this.#done) return;
        this.#done = true;
        this.#onComplete(infoBytes);
      },
      onPex: (message) => this.add(message.added, "pex"),
      onClosed: (s, reason) => {
        this.sessions.delete(s);
        this.log("info", `${s.conn.address} (${s.client}) left: ${reason}`);
        this.pool.pump();
      },
    });
    this.sessions.add(session);
    this.log("info", `connected to ${conn.address} (${session.client}) for metadata`);
    session.start();
  }
}
