/**
 * The peers of one torrent: the connected sessions, the peers we know of and dial, bans, who we
 * upload to (choking), peer exchange, and the once-a-second upkeep of each session. What the
 * peers' data means is the torrent's business (it is the sessions' {@linkcode SwarmHost}).
 * @module
 */

import type { PeerKey, PiecePicker } from "../picker/piece_picker.ts";
import type { PeerAddress } from "../tracker/types.ts";
import { toHex } from "../util/bytes.ts";
import type { EncryptionPolicy } from "../wire/encryption_policy.ts";
import {
  connectPeer,
  formatAddress,
  type LocalIdentity,
  type PeerConnection,
} from "../wire/peer_connection.ts";
import { type ChokerState, chooseUnchoked, RECHOKE_INTERVAL_MS } from "./choker.ts";
import { ConnectionPool } from "./connection_pool.ts";
import { PeerSession, type SwarmHost } from "./peer_session.ts";
import { PexExchange } from "./pex_exchange.ts";

/** Options of {@linkcode Swarm}. */
export interface SwarmOptions {
  readonly identity: LocalIdentity;
  readonly picker: PiecePicker;
  /** What the sessions report to. */
  readonly host: SwarmHost;
  readonly maxPeers?: number;
  readonly uploadSlots?: number;
  readonly connectTimeoutMs?: number;
  /** How peers we dial are encrypted; default "tolerate". */
  readonly encryption?: EncryptionPolicy;
  /** A peer with requests in flight that sends nothing for this long gets them taken away. */
  readonly snubAfterMs?: number;
  /** Private torrents (BEP 27) do not exchange peers. */
  readonly pex: boolean;
  /** Whether to take peers now (not while paused, checking or failed). */
  readonly open: () => boolean;
  readonly log: (text: string) => void;
}

/**
 * A torrent's peers.
 * @example
 * ```ts
 * const swarm = new Swarm({ identity, picker, host: torrent, pex: true, open: () => true, log });
 * swarm.addPeers([{ host: "127.0.0.1", port: 6881 }], "--peer");
 * swarm.tick(Date.now(), 1); // once a second
 * ```
 */
export class Swarm {
  readonly sessions = new Map<PeerKey, PeerSession>();
  /** When a session was last open (or we were paused): for giving up on a dead swarm. */
  lastPeerAt = Date.now();
  readonly #options: SwarmOptions;
  readonly #pool: ConnectionPool;
  /**
   * The address each dialed session was dialed at: reported back to the pool when it ends, and
   * where it listens for PEX (incoming peers tell their port in the extended handshake).
   */
  readonly #dialed = new Map<PeerKey, PeerAddress>();
  /** Peers that sent bad data, by peer-id, so they cannot come back as incoming connections. */
  readonly #bannedPeerIds = new Set<string>();
  readonly #choker: ChokerState = { optimistic: undefined, optimisticSince: 0 };
  readonly #pex = new PexExchange();
  #lastRechoke = 0;
  /**
   * The fastest session's download rate. Rates change only at a tick, so it is found then, not
   * on every request fill (which runs for nearly every block received).
   */
  #bestRate = 0;
  #nextKey = 1;

  constructor(options: SwarmOptions) {
    this.#options = options;
    this.#pool = new ConnectionPool({
      maxConnections: options.maxPeers ?? 50,
      dial: (address) => this.#dial(address),
      connectedCount: () => this.sessions.size,
    });
  }

  /** Learns peer addresses and dials them as room allows. */
  addPeers(addresses: readonly PeerAddress[], source: string): void {
    this.#pool.add(addresses, source);
  }

  /** Takes over an accepted, handshaken connection (or closes it when we cannot). */
  adopt(conn: PeerConnection): void {
    if (this.#bannedPeerIds.has(toHex(conn.remote.peerId))) return conn.close();
    if (!this.#options.open()) return conn.close();
    if (this.sessions.size >= (this.#options.maxPeers ?? 50)) return conn.close();
    this.#addSession(conn);
  }

  /** Sends a message to every peer. */
  broadcast(message: Parameters<PeerSession["send"]>[0]): void {
    for (const s of this.sessions.values()) s.send(message);
  }

  /** Lets every peer act on new wants: interest and requests. */
  refresh(): void {
    for (const s of this.sessions.values()) {
      s.updateInterest();
      s.fillRequests();
    }
  }

  closeAll(reason: string): void {
    for (const s of this.sessions.values()) s.close(reason);
  }

  /** Drops and bans a peer that sent bad data: its address is not dialed again. */
  ban(session: PeerSession, reason: string): void {
    const dialed = this.#dialed.get(session.key);
    if (dialed) this.#pool.ban(formatAddress(dialed.host, dialed.port));
    this.#bannedPeerIds.add(toHex(session.conn.remote.peerId));
    session.close(reason);
  }

  /** A session ended: its blocks go back to the picker and its address back to the pool. */
  closed(session: PeerSession): boolean {
    if (!this.sessions.delete(session.key)) return false;
    session.releaseAll();
    this.#options.picker.removeAvailability(session.has);
    const dialed = this.#dialed.get(session.key);
    this.#dialed.delete(session.key);
    this.#pex.forget(session);
    if (dialed) {
      const worked = session.down.total > 0 || session.up.total > 0;
      this.#pool.disconnected(formatAddress(dialed.host, dialed.port), worked);
    }
    // Its blocks are free again: let the others pick them up now.
    for (const s of this.sessions.values()) s.fillRequests();
    this.#pool.pump();
    return true;
  }

  /** A newly interested peer gets a free upload slot at once rather than at the next round. */
  interestChanged(session: PeerSession): void {
    const unchoked = [...this.sessions.values()].filter((s) => !s.amChoking).length;
    if (session.peerInterested && unchoked < (this.#options.uploadSlots ?? 8)) {
      session.setChoking(false);
    } else if (!session.peerInterested) {
      session.setChoking(true);
    }
  }

  /** Whether a peer is among the fastest, so time-critical pieces may be asked of it. */
  isFast(session: PeerSession): boolean {
    return this.#bestRate === 0 || session.down.rate >= this.#bestRate / 2;
  }

  /** Recent dial failures, one line each. */
  failures(): string[] {
    return this.#pool.failures();
  }

  /** Once a second: rates, dead and stuck peers, interest, requests, choking, PEX, dialing. */
  tick(now: number, seconds: number, seeding: boolean): void {
    const snubAfter = this.#options.snubAfterMs ?? 30_000;
    for (const s of this.sessions.values()) {
      s.tick(seconds);
      if (now - s.lastReceivedAt > 150_000) {
        s.close("silent for 150 s");
        continue;
      }
      if (s.stalledFor(60_000, now)) {
        s.close("not reading for 60 s"); // and so holding an upload slot for nothing
        continue;
      }
      if (s.outstanding.size > 0 && now - s.lastBlockAt > snubAfter) {
        // Snubbed: give its blocks to others, and ask it for little until it delivers again.
        s.releaseAll();
        s.lastBlockAt = now;
        s.snubbed = true;
      }
      s.updateInterest();
      s.fillRequests();
    }
    this.#bestRate = 0;
    for (const s of this.sessions.values()) this.#bestRate = Math.max(this.#bestRate, s.down.rate);
    if (now - this.#lastRechoke >= RECHOKE_INTERVAL_MS) this.#rechoke(now, seeding);
    if (this.#options.pex) this.#pex.send(this.sessions.values(), (s) => this.#listenAddress(s));
    if (this.sessions.size > 0 || !this.#options.open()) this.lastPeerAt = now;
    this.#pool.pump();
  }

  async #dial(address: PeerAddress): Promise<void> {
    if (!this.#options.open()) throw new Error("not connecting now");
    const conn = await connectPeer(address, this.#options.identity, {
      timeoutMs: this.#options.connectTimeoutMs ?? 10_000,
      maxMessageLength: Math.max(1 << 20, Math.ceil(this.#options.picker.pieceCount / 8) + 16),
      encryption: this.#options.encryption,
    });
    const session = this.#addSession(conn);
    this.#dialed.set(session.key, { host: address.host, port: address.port });
  }

  #addSession(conn: PeerConnection): PeerSession {
    const session = new PeerSession(this.#nextKey++, conn, this.#options.host);
    this.sessions.set(session.key, session);
    this.lastPeerAt = Date.now();
    const how = conn.incoming ? ", incoming" : "";
    const crypt = conn.encryption === "none" ? "" : `, encrypted (${conn.encryption})`;
    this.#options.log(`connected to ${conn.address} (${session.client})${how}${crypt}`);
    session.start(this.#options.picker.have);
    return session;
  }

  /** Where a peer accepts connections: the address we dialed, or the port it told us. */
  #listenAddress(session: PeerSession): PeerAddress | undefined {
    const dialed = this.#dialed.get(session.key);
    if (dialed) return dialed;
    const port = session.ext.remote?.p;
    if (!port) return undefined;
    const host = session.conn.address.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
    return { host, port };
  }

  #rechoke(now: number, seeding: boolean): void {
    this.#lastRechoke = now;
    const peers = [...this.sessions.values()].map((s) => ({
      key: s.key,
      peerInterested: s.peerInterested,
      downRate: s.down.rate,
      upRate: s.up.rate,
      snubbed: s.snubbed,
    }));
    const slots = this.#options.uploadSlots ?? 8;
    const unchoke = chooseUnchoked(peers, { slots, seeding, now }, this.#choker);
    for (const s of this.sessions.values()) s.setChoking(!unchoke.has(s.key));
  }
}
