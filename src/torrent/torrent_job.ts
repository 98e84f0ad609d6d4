/**
 * A torrent the client runs, from a .torrent file or from a magnet link. For a magnet link it
 * first finds peers (the link's peers and trackers, the DHT, PEX), fetches the metadata from
 * them (BEP 9), saves it as a .torrent beside the download, and then runs the {@linkcode Torrent}.
 * @module
 */

import { metainfoFromInfoDict } from "../extension/metainfo_from_metadata.ts";
import type { MagnetLink } from "../metainfo/magnet.ts";
import { parseMetainfo } from "../metainfo/parse_metainfo.ts";
import type { Metainfo } from "../metainfo/types.ts";
import type { PeerAddress } from "../tracker/types.ts";
import type { LocalIdentity, PeerConnection } from "../wire/peer_connection.ts";
import { MetadataPhase } from "./metadata_phase.ts";
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
  /** Why the metadata phase gave up, if it did. */
  #failed: string | undefined;

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
    this.#metadata = new MetadataPhase({
      identity: this.identity,
      magnet: this.#source.magnet,
      options: this.#options,
      onComplete: (infoBytes) => {
        this.#metadataArrived(infoBytes).catch((error) => this.#ready.reject(error));
      },
      onFail: (message) => {
        this.#failed = message;
        this.#metadata?.stop();
        this.#ready.reject(new Error(message));
      },
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
    else this.#metadata?.add(addresses, source);
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
    if (t) return { state: t.state, error: t.error };
    return this.#failed ? { state: "error", error: this.#failed } : { state: "metadata" };
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
