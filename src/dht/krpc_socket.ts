/**
 * KRPC over one UDP socket (node:dgram, which Deno runs without unstable flags): outgoing
 * queries matched to their replies by transaction id and source address, with a timeout each;
 * incoming queries handed to a handler whose answer is sent back. Malformed or oversized packets
 * and replies nobody waits for are dropped and counted.
 * @module
 */

import dgram from "node:dgram";
import { DhtError } from "./dht_error.ts";
import {
  decodeKrpc,
  encodeKrpc,
  type KrpcMessage,
  type KrpcQuery,
  type KrpcResponse,
  MAX_KRPC_PACKET,
} from "./krpc.ts";

/** Where a UDP packet goes or came from. */
export interface UdpAddress {
  readonly host: string;
  readonly port: number;
}

/** A decoded incoming query. */
export type IncomingQuery = Extract<KrpcMessage, { kind: "query" }>;

/** Answers a query: the reply (a response or an error) to send, or undefined to stay silent. */
export type QueryHandler = (
  message: IncomingQuery,
  from: UdpAddress,
) => Extract<KrpcMessage, { kind: "response" | "error" }> | undefined;

/** Queries awaiting a reply at once; more are refused rather than queued without bound. */
export const MAX_QUERIES_IN_FLIGHT = 256;

/** Counters for the UI and for tests. */
export interface SocketCounters {
  readonly sent: number;
  readonly received: number;
  /** Packets dropped: malformed, oversized, or replies to no query of ours. */
  readonly dropped: number;
  readonly inFlight: number;
}

interface Pending {
  readonly to: UdpAddress;
  readonly resolve: (response: KrpcResponse) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly onAbort: () => void;
  readonly signal?: AbortSignal;
}

/**
 * A bound KRPC socket.
 * @example
 * ```ts
 * const socket = await KrpcSocket.bind(0, "127.0.0.1", () => undefined);
 * const pong = await socket.query(
 *   { host: "127.0.0.1", port: 6881 },
 *   { method: "ping", id },
 *   { timeoutMs: 2000 },
 * );
 * await socket.close();
 * ```
 */
export class KrpcSocket {
  readonly port: number;
  #socket: dgram.Socket;
  #handler: QueryHandler;
  #pending = new Map<number, Pending>();
  #nextTransaction = Math.floor(Math.random() * 0x10000);
  #sent = 0;
  #received = 0;
  #dropped = 0;
  #closed = false;

  private constructor(socket: dgram.Socket, handler: QueryHandler) {
    this.#socket = socket;
    this.#handler = handler;
    this.port = socket.address().port;
    socket.on("message", (packet: Uint8Array, rinfo: dgram.RemoteInfo) => {
      this.#onPacket(packet, { host: rinfo.address, port: rinfo.port });
    });
  }

  /**
   * Binds UDP `host:port` (port 0: any free port) and serves incoming queries with `handler`.
   * Rejects with {@link DhtError} when the port cannot be bound.
   */
  static bind(port: number, host: string, handler: QueryHandler): Promise<KrpcSocket> {
    return new Promise((resolve, reject) => {
      const socket = dgram.createSocket("udp4");
      const onError = (error: Error) => {
        socket.close();
        reject(new DhtError(`cannot bind UDP ${host}:${port}: ${error.message}`));
      };
      socket.once("error", onError);
      socket.bind(port, host, () => {
        socket.off("error", onError);
        // A send to an unreachable address reports here; each query has its own timeout.
        socket.on("error", () => {});
        resolve(new KrpcSocket(socket, handler));
      });
    });
  }

  /** Packet counts so far. */
  counters(): SocketCounters {
    return {
      sent: this.#sent,
      received: this.#received,
      dropped: this.#dropped,
      inFlight: this.#pending.size,
    };
  }

  /**
   * Sends `query` to `to` and resolves with the response. Rejects with {@link DhtError} on a
   * KRPC error reply, after `timeoutMs` without one, when `signal` aborts, when too many queries
   * are in flight, or when the socket closes.
   */
  query(
    to: UdpAddress,
    query: KrpcQuery,
    options: { timeoutMs: number; signal?: AbortSignal },
  ): Promise<KrpcResponse> {
    const { timeoutMs, signal } = options;
    if (this.#closed) return Promise.reject(new DhtError("DHT socket is closed"));
    if (signal?.aborted) return Promise.reject(new DhtError("query aborted"));
    if (this.#pending.size >= MAX_QUERIES_IN_FLIGHT) {
      return Promise.reject(new DhtError("too many DHT queries in flight"));
    }
    const id = this.#transactionId();
    const t = new Uint8Array([id >> 8, id & 0xff]);
    const packet = encodeKrpc({ kind: "query", t, query });
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(pending.timer);
        signal?.removeEventListener("abort", pending.onAbort);
        this.#pending.delete(id);
      };
      const pending: Pending = {
        to,
        resolve: (response) => {
          finish();
          resolve(response);
        },
        reject: (error) => {
          finish();
          reject(error);
        },
        timer: setTimeout(
          () => pending.reject(new DhtError(`${query.method} to ${to.host}:${to.port} timed out`)),
          timeoutMs,
        ),
        onAbort: () => pending.reject(new DhtError("query aborted")),
        signal,
      };
      signal?.addEventListener("abort", pending.onAbort, { once: true });
      this.#pending.set(id, pending);
      this.#send(packet, to);
    });
  }

  /** Closes the socket; queries still waiting reject. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    for (const pending of [...this.#pending.values()]) {
      pending.reject(new DhtError("DHT socket is closed"));
    }
    return new Promise((resolve) => this.#socket.close(() => resolve()));
  }

  #transactionId(): number {
    for (;;) {
      this.#nextTransaction = (this.#nextTransaction + 1) & 0xffff;
      if (!this.#pending.has(this.#nextTransaction)) return this.#nextTransaction;
    }
  }

  #send(packet: Uint8Array, to: UdpAddress): void {
    this.#sent++;
    this.#socket.send(packet, to.port, to.host);
  }

  #onPacket(packet: Uint8Array, from: UdpAddress): void {
    if (this.#closed) return;
    this.#received++;
    let message: KrpcMessage;
    try {
      if (packet.length > MAX_KRPC_PACKET) throw new DhtError("oversized packet");
      message = decodeKrpc(packet);
    } catch {
      this.#dropped++;
      return;
    }
    if (message.kind === "query") {
      const reply = this.#handler(message, from);
      if (reply) this.#send(encodeKrpc(reply), from);
      return;
    }
    const id = message.t.length === 2 ? (message.t[0] << 8) | message.t[1] : -1;
    const pending = this.#pending.get(id);
    // A reply must come from where the query went, or anyone could answer for anyone.
    if (!pending || pending.to.host !== from.host || pending.to.port !== from.port) {
      this.#dropped++;
      return;
    }
    if (message.kind === "response") {
      pending.resolve(message.response);
    } else {
      pending.reject(
        new DhtError(`${from.host}:${from.port} said: ${message.code} ${message.message}`),
      );
    }
  }
}
