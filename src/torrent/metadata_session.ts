/**
 * A connection used only to fetch a magnet link's metadata (BEP 9): extended handshake, then
 * ut_metadata requests; everything else the peer says is ignored until the torrent is known.
 * @module
 */

import type { MetadataAssembler } from "../extension/metadata_assembler.ts";
import type { PexMessage } from "../extension/ut_pex.ts";
import type { Message } from "../wire/messages.ts";
import type { PeerConnection } from "../wire/peer_connection.ts";
import { clientName } from "./peer_id.ts";
import { type LocalExtensions, PeerExtensions } from "./peer_extensions.ts";

/** What a metadata session reports to its owner. */
export interface MetadataHost {
  readonly assembler: MetadataAssembler;
  readonly localExtensions: LocalExtensions;
  readonly dhtPort: number | undefined;
  onComplete(infoBytes: Uint8Array): void;
  onPex(message: PexMessage): void;
  onClosed(session: MetadataSession, reason: string): void;
}

/** How often pending requests are reconsidered (the assembler times them out). */
const REQUEST_CHECK_MS = 2000;
/**
 * A peer that answers none of our requests for this long is dropped: its size claim could
 * otherwise keep an honest peer with the right size from being asked (first size wins).
 */
export const UNANSWERED_LIMIT_MS = 10_000;

/**
 * One peer during the metadata phase.
 * @example
 * ```ts
 * const session = new MetadataSession(conn, host);
 * session.start();
 * ```
 */
export class MetadataSession {
  readonly conn: PeerConnection;
  readonly client: string;
  readonly ext: PeerExtensions;
  closed = false;
  /** The peer sent metadata (data or reject) at least once. */
  answered = false;
  /** Since when requests of ours wait for an answer (undefined: none wait). */
  #waitingSince: number | undefined;
  readonly #host: MetadataHost;
  readonly #timer: ReturnType<typeof setInterval>;
  #sending: Promise<void> = Promise.resolve();

  constructor(conn: PeerConnection, host: MetadataHost) {
    this.conn = conn;
    this.#host = host;
    this.client = clientName(conn.remote.peerId);
    this.ext = new PeerExtensions(host.localExtensions);
    this.#timer = setInterval(() => this.#check(), REQUEST_CHECK_MS);
  }

  /** The assembler's name for this peer. */
  get key(): string {
    return this.conn.address;
  }

  start(): void {
    const { extended, dht } = this.conn.remote.features;
    if (!extended) return this.close("no extension protocol, so no metadata exchange");
    this.#send(this.ext.handshakeMessage());
    if (dht && this.#host.dhtPort) this.#send({ type: "port", port: this.#host.dhtPort });
    this.#readLoop();
  }

  close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.#timer);
    this.#host.assembler.removePeer(this.key);
    this.conn.close();
    this.#host.onClosed(this, reason);
  }

  async #readLoop(): Promise<void> {
    let reason = "connection closed by peer";
    try {
      while (!this.closed) {
        const { done, value } = await this.conn.frames.read();
        if (done) break;
        if (value.type === "extended") await this.#onExtended(value.id, value.payload);
      }
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    this.close(reason);
  }

  async #onExtended(id: number, payload: Uint8Array): Promise<void> {
    const event = this.ext.decode(id, payload);
    const assembler = this.#host.assembler;
    if (event?.type === "handshake") {
      const size = event.handshake.metadataSize;
      if (size === undefined) return this.close("peer offers no metadata");
      const verdict = assembler.setSize(this.key, size);
      if (verdict === "invalid" || verdict === "too-large") {
        return this.close(`unusable metadata_size ${size} (${verdict})`);
      }
      this.#request();
    } else if (event?.type === "pex") {
      this.#host.onPex(event.message);
    } else if (event?.type === "metadata") {
      const m = event.message;
      if (m.type === "request") {
        const reply = this.ext.metadataMessage({ type: "reject", piece: m.piece });
        if (reply) this.#send(reply); // we have nothing to serve yet
      } else if (m.type === "reject") {
        this.#heard();
        assembler.onReject(this.key, m.piece);
      } else {
        this.#heard();
        const outcome = await assembler.onData(this.key, m.piece, m.totalSize, m.data);
        if (outcome.status === "complete") return this.#host.onComplete(outcome.infoBytes);
        if (outcome.status === "hash-mismatch" && outcome.barred.includes(this.key)) {
          return this.close("sent metadata that does not match the info-hash");
        }
        if (outcome.status === "refused") return this.close(`bad metadata: ${outcome.reason}`);
        this.#request();
      }
    }
  }

  #request(): void {
    if (this.closed || !this.ext.supports("ut_metadata")) return;
    for (let piece = this.#host.assembler.nextRequest(this.key); piece !== undefined;) {
      const message = this.ext.metadataMessage({ type: "request", piece });
      if (message) {
        this.#send(message);
        this.#waitingSince ??= Date.now();
      }
      piece = this.#host.assembler.nextRequest(this.key);
    }
  }

  #heard(): void {
    this.answered = true;
    this.#waitingSince = undefined;
  }

  #check(): void {
    const since = this.#waitingSince;
    if (since !== undefined && Date.now() - since > UNANSWERED_LIMIT_MS) {
      return this.close(`no answer to metadata requests for ${UNANSWERED_LIMIT_MS / 1000} s`);
    }
    this.#request();
  }

  #send(message: Message): void {
    this.#sending = this.#sending
      .then(() => this.conn.send([message]))
      .catch((error) => this.close(`send failed: ${error.message}`));
  }
}
