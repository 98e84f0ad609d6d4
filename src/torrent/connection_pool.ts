/**
 * The peers we know of and the dialing of them: a bounded number of connections and of
 * half-open attempts, retries with backoff, and bans for peers that sent bad data.
 * @module
 */

import type { PeerAddress } from "../tracker/types.ts";
import { formatAddress } from "../wire/peer_connection.ts";

interface Candidate {
  readonly address: PeerAddress;
  readonly source: string;
  failures: number;
  nextTryAt: number;
  connected: boolean;
  lastError?: string;
}

/** Construction options for {@linkcode ConnectionPool}. */
export interface ConnectionPoolOptions {
  /** Connections we keep at most (dialed and accepted together). */
  readonly maxConnections: number;
  /** Dials in progress at most. */
  readonly maxDialing?: number;
  /** Retries of a peer that failed, before it is given up. */
  readonly maxFailures?: number;
  /** Opens a connection; resolves when the handshake is done. */
  readonly dial: (address: PeerAddress) => Promise<void>;
  /** Connections open right now (dialed or accepted). */
  readonly connectedCount: () => number;
  /** Clock, injectable for tests. */
  readonly now?: () => number;
}

/**
 * Decides whom to dial and when.
 * @example
 * ```ts
 * const pool = new ConnectionPool({ maxConnections: 50, dial, connectedCount: () => 0 });
 * pool.add([{ host: "127.0.0.1", port: 6881 }], "--peer");
 * pool.pump();
 * ```
 */
export class ConnectionPool {
  readonly #options: ConnectionPoolOptions;
  readonly #candidates = new Map<string, Candidate>();
  readonly #banned = new Set<string>();
  #dialing = 0;

  constructor(options: ConnectionPoolOptions) {
    this.#options = options;
  }

  /** Learns addresses (from a tracker, `--peer`, PEX…); known ones are kept as they are. */
  add(addresses: readonly PeerAddress[], source: string): void {
    for (const address of addresses) {
      const key = formatAddress(address.host, address.port);
      if (this.#banned.has(key) || this.#candidates.has(key) || address.port === 0) {
        continue;
      }
      this.#candidates.set(key, { address, source, failures: 0, nextTryAt: 0, connected: false });
    }
    this.pump();
  }

  /** Starts dials while there is room. */
  pump(): void {
    const o = this.#options;
    const now = this.#now();
    for (const c of this.#candidates.values()) {
      if (this.#dialing >= (o.maxDialing ?? 8)) return;
      if (o.connectedCount() + this.#dialing >= o.maxConnections) return;
      if (c.connected || c.nextTryAt > now || c.nextTryAt < 0) continue;
      this.#dial(c);
    }
  }

  /** A dialed peer's connection ended. A peer that worked is tried again later. */
  disconnected(address: string, worked: boolean): void {
    const c = this.#candidates.get(address);
    if (!c) return;
    c.connected = false;
    if (worked) c.failures = 0;
    this.#scheduleRetry(c, worked ? 5_000 : 30_000);
  }

  /**
   * Never dial this `host:port` again (it sent data that failed its hash check). By address, not
   * by host: peers behind one NAT, or on one test machine, share a host.
   */
  ban(address: string): void {
    this.#banned.add(address);
    this.#candidates.delete(address);
  }

  /** Known peers. */
  get size(): number {
    return this.#candidates.size;
  }

  /** True when every known peer has been given up and none is connected or being dialed. */
  get exhausted(): boolean {
    if (this.#dialing > 0) return false;
    for (const c of this.#candidates.values()) if (c.connected || c.nextTryAt >= 0) return false;
    return true;
  }

  /** One line per recent failure, for the fatal "no peers" message. */
  failures(): string[] {
    const out: string[] = [];
    for (const c of this.#candidates.values()) if (c.lastError) out.push(c.lastError);
    return out;
  }

  async #dial(c: Candidate): Promise<void> {
    this.#dialing++;
    c.connected = true;
    try {
      await this.#options.dial(c.address);
      c.lastError = undefined;
    } catch (error) {
      c.connected = false;
      c.failures++;
      c.lastError = error instanceof Error ? error.message : String(error);
      this.#scheduleRetry(c, 10_000);
    } finally {
      this.#dialing--;
    }
    this.pump();
  }

  #scheduleRetry(c: Candidate, baseMs: number): void {
    if (c.failures >= (this.#options.maxFailures ?? 4)) {
      c.nextTryAt = -1; // given up
      return;
    }
    c.nextTryAt = this.#now() + baseMs * 2 ** Math.max(0, c.failures - 1);
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}
