/**
 * Accepts incoming peer connections on one TCP port and hands each to the torrent whose
 * info-hash its handshake names. Peers that open with an MSE handshake name it hashed, so they
 * are matched against every torrent registered here.
 * @module
 */

import { toHex } from "../util/bytes.ts";
import type { EncryptionPolicy } from "../wire/encryption_policy.ts";
import {
  acceptPeer,
  type LocalIdentity,
  PeerConnectError,
  type PeerConnection,
} from "../wire/peer_connection.ts";

/** Options of {@linkcode PeerListener}. */
export interface PeerListenerOptions {
  readonly port: number;
  /** Default "0.0.0.0". */
  readonly hostname?: string;
  /** Which incoming peers are taken, and how their MSE streams are encrypted; default "tolerate". */
  readonly encryption?: EncryptionPolicy;
  /** Told why an incoming connection failed, unless it is an ordinary refusal. */
  readonly onError?: (message: string) => void;
}

/** A torrent that can take incoming peers. */
export interface AcceptingTorrent {
  readonly identity: LocalIdentity;
  adopt(conn: PeerConnection): void;
}

/**
 * A listening socket shared by all torrents of the client.
 * @example
 * ```ts
 * const listener = new PeerListener({ port: 0, encryption: "require" });
 * listener.register(torrent);
 * console.log(listener.port);
 * listener.close();
 * ```
 */
export class PeerListener {
  readonly #listener: Deno.TcpListener;
  readonly #torrents = new Map<string, AcceptingTorrent>();
  readonly #onError: (message: string) => void;
  readonly #encryption: EncryptionPolicy | undefined;

  /** Listens at once; throws when the port is taken. */
  constructor(options: PeerListenerOptions) {
    this.#listener = Deno.listen({ hostname: options.hostname ?? "0.0.0.0", port: options.port });
    this.#onError = options.onError ?? (() => {});
    this.#encryption = options.encryption;
    this.#acceptLoop();
  }

  /** The port we listen on (useful with port 0). */
  get port(): number {
    return this.#listener.addr.port;
  }

  register(torrent: AcceptingTorrent): void {
    this.#torrents.set(toHex(torrent.identity.infoHash), torrent);
  }

  unregister(torrent: AcceptingTorrent): void {
    this.#torrents.delete(toHex(torrent.identity.infoHash));
  }

  close(): void {
    try {
      this.#listener.close();
    } catch { /* already closed */ }
  }

  async #acceptLoop(): Promise<void> {
    while (true) {
      let conn: Deno.TcpConn;
      try {
        conn = await this.#listener.accept();
      } catch {
        return; // closed
      }
      this.#handshake(conn);
    }
  }

  async #handshake(conn: Deno.TcpConn): Promise<void> {
    let torrent: AcceptingTorrent | undefined;
    try {
      const peer = await acceptPeer(conn, (infoHash) => {
        torrent = this.#torrents.get(toHex(infoHash));
        return torrent?.identity;
      }, {
        infoHashes: () => Array.from(this.#torrents.values(), (t) => t.identity.infoHash),
        encryption: this.#encryption,
      });
      torrent!.adopt(peer);
    } catch (error) {
      if (!(error instanceof PeerConnectError)) this.#onError(String(error));
    }
  }
}
