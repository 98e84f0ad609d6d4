/**
 * Announcing to `udp://` trackers (BEP 15) over node:dgram, which Deno supports without unstable
 * flags. One client serves every UDP tracker of the session: one socket per address family,
 * replies routed by transaction id, connection ids cached per tracker for their one-minute life.
 * @module
 */

import dgram from "node:dgram";
import { lookup } from "node:dns/promises";
import { parseIpv4, parseIpv6 } from "./compact_peers.ts";
import { TrackerError } from "./tracker_error.ts";
import type { AnnounceRequest, AnnounceResponse } from "./types.ts";
import {
  decodeAnnounceResponse,
  decodeConnectResponse,
  encodeAnnounceRequest,
  encodeConnectRequest,
  udpReplyTransactionId,
} from "./udp_messages.ts";

/**
 * How long to wait for a reply: `baseTimeoutMs * 2^n` for the n-th retransmission, giving up
 * after `maxRetries` retransmissions (so `maxRetries + 1` sends in all).
 * @example
 * ```ts
 * const quick: UdpRetryPolicy = { baseTimeoutMs: 500, maxRetries: 1 }; // 0.5 s + 1 s
 * ```
 */
export interface UdpRetryPolicy {
  readonly baseTimeoutMs: number;
  readonly maxRetries: number;
}

/**
 * The schedule BEP 15 describes: 15 s doubling up to 8 times (over an hour in all).
 * @example
 * ```ts
 * new UdpTrackerClient({ retry: BEP15_RETRY });
 * ```
 */
export const BEP15_RETRY: UdpRetryPolicy = { baseTimeoutMs: 15_000, maxRetries: 8 };

/**
 * Our default: 3 sends (2 s, 4 s, 8 s), then the tracker counts as dead for this announce and the
 * tracker tiers back off from it, rather than stalling the torrent for an hour.
 * @example
 * ```ts
 * new UdpTrackerClient({ retry: CLIENT_UDP_RETRY });
 * ```
 */
export const CLIENT_UDP_RETRY: UdpRetryPolicy = { baseTimeoutMs: 2_000, maxRetries: 2 };

/** BEP 15: a client may use a connection id until one minute after receiving it. */
const CONNECTION_ID_LIFETIME_MS = 60_000;

/**
 * Options of {@linkcode UdpTrackerClient}.
 * @example
 * ```ts
 * const options: UdpTrackerClientOptions = { retry: BEP15_RETRY, now: () => clock.now };
 * ```
 */
export interface UdpTrackerClientOptions {
  /** Default {@linkcode CLIENT_UDP_RETRY}. */
  readonly retry?: UdpRetryPolicy;
  /** Clock for connection-id expiry, milliseconds; default `Date.now`. */
  readonly now?: () => number;
}

interface Target {
  readonly address: string;
  readonly port: number;
  readonly family: 4 | 6;
}

interface Pending {
  readonly target: Target;
  readonly deliver: (reply: Uint8Array) => void;
}

/**
 * Announces to UDP trackers. Sockets open on first use; call {@linkcode UdpTrackerClient.close}
 * when done with it.
 * @example
 * ```ts
 * const udp = new UdpTrackerClient();
 * try {
 *   const reply = await udp.announce("udp://127.0.0.1:6969/announce", request);
 * } finally {
 *   udp.close();
 * }
 * ```
 */
export class UdpTrackerClient {
  readonly #retry: UdpRetryPolicy;
  readonly #now: () => number;
  readonly #sockets = new Map<4 | 6, Promise<dgram.Socket>>();
  readonly #pending = new Map<number, Pending>();
  readonly #connections = new Map<string, { readonly id: Uint8Array; readonly at: number }>();
  #closed = false;

  constructor(options: UdpTrackerClientOptions = {}) {
    this.#retry = options.retry ?? CLIENT_UDP_RETRY;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Announces to `url` (`udp://host:port[/path]`): connects first unless a connection id for
   * this tracker is still fresh, retransmitting per the retry policy. Throws
   * {@linkcode TrackerError} on a bad URL, a DNS failure, the tracker's error message, a
   * malformed reply or no reply after the last retry; rejects with `signal.reason` on abort.
   * @example
   * ```ts
   * const { interval, peers } = await udp.announce("udp://127.0.0.1:6969", request);
   * ```
   */
  async announce(
    url: string,
    request: AnnounceRequest,
    signal?: AbortSignal,
  ): Promise<AnnounceResponse> {
    const target = await resolveTracker(url);
    const key = `${target.address}|${target.port}`;
    let retries = 0;
    while (true) {
      signal?.throwIfAborted();
      const cached = this.#connections.get(key);
      const connectionId = cached && this.#now() - cached.at < CONNECTION_ID_LIFETIME_MS
        ? cached.id
        : undefined;
      const transactionId = this.#newTransactionId();
      const packet = connectionId
        ? encodeAnnounceRequest(connectionId, transactionId, request)
        : encodeConnectRequest(transactionId);
      const timeoutMs = this.#retry.baseTimeoutMs * 2 ** retries;
      const reply = await this.#exchange(target, transactionId, packet, timeoutMs, signal);
      if (!reply) {
        if (++retries > this.#retry.maxRetries) {
          throw new TrackerError(`no reply from ${url} after ${retries} tries`);
        }
        continue;
      }
      if (!connectionId) {
        this.#connections.set(key, {
          id: decodeConnectResponse(reply, transactionId),
          at: this.#now(),
        });
        continue;
      }
      try {
        return decodeAnnounceResponse(reply, transactionId, target.family);
      } catch (error) {
        // Some trackers answer a stale connection id with an error: connect afresh next time.
        this.#connections.delete(key);
        throw error;
      }
    }
  }

  /**
   * Closes the sockets and fails any announce still waiting. The client can not be used after.
   * @example
   * ```ts
   * udp.close();
   * ```
   */
  close(): void {
    this.#closed = true;
    for (const socket of this.#sockets.values()) socket.then((s) => s.close(), () => {});
    this.#sockets.clear();
    this.#connections.clear();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.deliver(new Uint8Array());
  }

  /** Sends `packet` and waits up to `timeoutMs` for the reply; undefined on timeout. */
  async #exchange(
    target: Target,
    transactionId: number,
    packet: Uint8Array,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Uint8Array | undefined> {
    const socket = await this.#socket(target.family);
    const { promise, resolve, reject } = Promise.withResolvers<Uint8Array | undefined>();
    const timer = setTimeout(() => resolve(undefined), timeoutMs);
    const onAbort = () => reject(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#pending.set(transactionId, { target, deliver: resolve });
    socket.send(packet, target.port, target.address, (error) => {
      if (error) reject(new TrackerError(`cannot send to ${target.address}: ${error.message}`));
    });
    try {
      const reply = await promise;
      if (this.#closed) throw new TrackerError("UDP tracker client closed");
      return reply;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      this.#pending.delete(transactionId);
    }
  }

  #socket(family: 4 | 6): Promise<dgram.Socket> {
    if (this.#closed) return Promise.reject(new TrackerError("UDP tracker client closed"));
    let socket = this.#sockets.get(family);
    if (!socket) {
      socket = openSocket(family, (reply, from) => this.#route(reply, from));
      this.#sockets.set(family, socket);
      // A socket that failed to open is forgotten so the next announce tries again.
      socket.catch(() => this.#sockets.delete(family));
    }
    return socket;
  }

  #route(reply: Uint8Array, from: { address: string; port: number }) {
    const transactionId = udpReplyTransactionId(reply);
    const pending = transactionId === undefined ? undefined : this.#pending.get(transactionId);
    // Only the tracker we asked may answer: anything else is stray or spoofed.
    if (pending && pending.target.address === from.address && pending.target.port === from.port) {
      pending.deliver(reply);
    }
  }

  #newTransactionId(): number {
    let id: number;
    do id = crypto.getRandomValues(new Uint32Array(1))[0]; while (this.#pending.has(id));
    return id;
  }
}

function openSocket(
  family: 4 | 6,
  onMessage: (reply: Uint8Array, from: { address: string; port: number }) => void,
): Promise<dgram.Socket> {
  const socket = dgram.createSocket(family === 4 ? "udp4" : "udp6");
  socket.on("message", (message, from) => onMessage(new Uint8Array(message), from));
  return new Promise((resolve, reject) => {
    const onBindError = (error: Error) => {
      socket.close();
      reject(new TrackerError(`cannot open a UDP socket: ${error.message}`));
    };
    socket.once("error", onBindError);
    socket.bind(0, () => {
      socket.off("error", onBindError);
      // Later errors (such as ICMP unreachable on some systems) are covered by the reply timeout.
      socket.on("error", () => {});
      socket.unref();
      resolve(socket);
    });
  });
}

/** Host and port of a `udp://` URL, the host resolved to an address. */
async function resolveTracker(url: string): Promise<Target> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TrackerError(`not a URL: ${url}`);
  }
  if (parsed.protocol !== "udp:") throw new TrackerError(`not a udp:// URL: ${url}`);
  const port = Number(parsed.port);
  if (!parsed.hostname || !(port > 0)) throw new TrackerError(`no host or port in ${url}`);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (parseIpv4(host)) return { address: host, port, family: 4 };
  if (parseIpv6(host)) return { address: host, port, family: 6 };
  try {
    const { address, family } = await lookup(host);
    return { address, port, family: family === 6 ? 6 : 4 };
  } catch (error) {
    throw new TrackerError(`cannot resolve ${host}: ${(error as Error).message}`);
  }
}
