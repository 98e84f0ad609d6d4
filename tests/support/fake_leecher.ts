/**
 * A scriptable leecher built from our own wire codec, for what no real client does on demand:
 * requests beyond the torrent, request floods, or never reading its socket. It dials a seeder,
 * handshakes, then sends whatever the test scripts, and records what comes back and when the
 * seeder hung up. Real-client interop lives in the interop tests.
 * @module
 */

import { bytesEqual } from "../../src/util/bytes.ts";
import { writeAll } from "../../src/util/write_all.ts";
import {
  decodeHandshake,
  encodeHandshake,
  type Handshake,
  HANDSHAKE_LENGTH,
} from "../../src/wire/handshake.ts";
import { MessageDecoderStream, type WireFrame } from "../../src/wire/message_streams.ts";
import { type BlockRef, encodeMessages, type Message } from "../../src/wire/messages.ts";
import { withTimeout } from "./process.ts";

/** Options for {@linkcode connectFakeLeecher}. */
export interface FakeLeecherOptions {
  readonly port: number;
  readonly host?: string;
  readonly infoHash: Uint8Array;
  readonly peerId?: Uint8Array;
  /** Advertise the fast extension (BEP 6); off by default. */
  readonly fast?: boolean;
  /**
   * Read the socket after the handshake (the default). A leecher that does not read leaves the
   * seeder's data in the kernel buffers until {@linkcode FakeLeecher.startReading}.
   */
  readonly read?: boolean;
  /** Bound on connect plus handshake (ms). */
  readonly timeoutMs?: number;
}

/** How the connection ended, seen from the leecher. */
export interface LeecherClosed {
  /**
   * What the reader saw: "end of stream" for a clean close, else the error (a reset, or the
   * stream ending inside a message when the seeder closed with a block half-sent).
   */
  readonly detail: string;
  /** `Date.now()` when the leecher saw it. */
  readonly at: number;
}

/** A connected fake leecher. */
export interface FakeLeecher {
  /** The seeder's handshake. */
  readonly remote: Handshake;
  /** Our local port: the seeder's log names us `127.0.0.1:<localPort>`. */
  readonly localPort: number;
  /** Messages received so far, in order (piece blocks are copies). */
  readonly received: readonly Message[];
  /** Payload bytes received in piece messages. */
  readonly pieceBytes: number;
  /** Set once the seeder's side of the connection ended (only observable while reading). */
  readonly closed: LeecherClosed | undefined;
  /** Encodes and writes messages as one write; rejects once the seeder has hung up. */
  send(messages: readonly Message[]): Promise<void>;
  /** Writes bytes as they are, for malformed input. */
  sendRaw(bytes: Uint8Array): Promise<void>;
  /** Starts reading (for a leecher made with `read: false`); no-op when already reading. */
  startReading(): void;
  /** Resolves with the first received message that `match` accepts, or throws on timeout. */
  waitFor<T extends Message>(
    match: (m: Message) => m is T,
    timeoutMs: number,
    what: string,
  ): Promise<T>;
  /** Resolves when the seeder ends the connection; throws on timeout. Needs reading. */
  whenClosed(timeoutMs: number): Promise<LeecherClosed>;
  /**
   * Requests `refs` (all at once: the caller keeps within the seeder's queue bound) and returns
   * each block, in the order of `refs`. Throws if the connection ends first.
   */
  fetch(refs: readonly BlockRef[], timeoutMs: number): Promise<Uint8Array[]>;
  /** Closes our socket and waits for the reader; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Dials a seeder and handshakes.
 * @example
 * ```ts
 * const leecher = await connectFakeLeecher({ port, infoHash: metainfo.infoHash });
 * await leecher.send([{ type: "request", index: 9999, begin: 0, length: 16384 }]);
 * await leecher.whenClosed(2000); // the seeder drops us
 * await leecher.close();
 * ```
 */
export async function connectFakeLeecher(options: FakeLeecherOptions): Promise<FakeLeecher> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const conn = await withTimeout(
    Deno.connect({ hostname: options.host ?? "127.0.0.1", port: options.port }),
    timeoutMs,
    "connecting the fake leecher",
  );
  try {
    const peerId = options.peerId ?? randomPeerId();
    await writeAll(
      conn,
      encodeHandshake({
        infoHash: options.infoHash,
        peerId,
        features: { extended: false, fast: options.fast ?? false, dht: false },
      }),
    );
    const remote = decodeHandshake(
      await withTimeout(readExactly(conn, HANDSHAKE_LENGTH), timeoutMs, "the seeder's handshake"),
    );
    if (!bytesEqual(remote.infoHash, options.infoHash)) {
      throw new Error("seeder's info-hash differs");
    }
    const leecher = new Leecher(conn, remote);
    if (options.read ?? true) leecher.startReading();
    return leecher;
  } catch (error) {
    conn.close();
    throw error;
  }
}

class Leecher implements FakeLeecher {
  readonly remote: Handshake;
  readonly localPort: number;
  readonly received: Message[] = [];
  pieceBytes = 0;
  closed: LeecherClosed | undefined;
  readonly #conn: Deno.TcpConn;
  #reading: Promise<void> | undefined;
  #writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  /** Called after each received message and at the end, so waiters re-check. */
  readonly #listeners = new Set<() => void>();

  constructor(conn: Deno.TcpConn, remote: Handshake) {
    this.#conn = conn;
    this.remote = remote;
    this.localPort = conn.localAddr.port;
  }

  async send(messages: readonly Message[]): Promise<void> {
    await this.sendRaw(encodeMessages(messages));
  }

  async sendRaw(bytes: Uint8Array): Promise<void> {
    this.#writer ??= this.#conn.writable.getWriter();
    await this.#writer.write(bytes);
  }

  startReading(): void {
    this.#reading ??= this.#readLoop();
  }

  waitFor<T extends Message>(
    match: (m: Message) => m is T,
    timeoutMs: number,
    what: string,
  ): Promise<T> {
    return this.#until(
      () => {
        const found = this.received.find(match);
        if (found) return found;
        if (this.closed) throw new Error(`connection ended (${this.closed.detail}) before ${what}`);
      },
      timeoutMs,
      what,
    );
  }

  whenClosed(timeoutMs: number): Promise<LeecherClosed> {
    if (!this.#reading) throw new Error("whenClosed needs a reading leecher");
    return this.#until(() => this.closed, timeoutMs, "the seeder to close the connection");
  }

  async fetch(refs: readonly BlockRef[], timeoutMs: number): Promise<Uint8Array[]> {
    const key = (index: number, begin: number) => `${index}:${begin}`;
    const wanted = new Set(refs.map((r) => key(r.index, r.begin)));
    const blocks = new Map<string, Uint8Array>();
    const from = this.received.length;
    await this.send(refs.map((r) => ({ type: "request", ...r })));
    await this.#until(
      () => {
        for (let i = from; i < this.received.length; i++) {
          const m = this.received[i];
          if (m.type === "piece" && wanted.has(key(m.index, m.begin))) {
            blocks.set(key(m.index, m.begin), m.block);
          }
        }
        if (blocks.size === wanted.size) return true;
        if (this.closed) throw new Error(`connection ended (${this.closed.detail}) during fetch`);
      },
      timeoutMs,
      `${refs.length} blocks`,
    );
    return refs.map((r) => blocks.get(key(r.index, r.begin))!);
  }

  async close(): Promise<void> {
    try {
      this.#conn.close();
    } catch { /* already closed */ }
    await this.#reading;
  }

  async #readLoop(): Promise<void> {
    const frames = this.#conn.readable.pipeThrough(new MessageDecoderStream());
    try {
      for await (const frame of frames as AsyncIterable<WireFrame>) {
        if (frame.type === "handshake") throw new Error("second handshake");
        this.#record(frame);
      }
      this.closed = { detail: "end of stream", at: Date.now() };
    } catch (error) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      this.closed = { detail, at: Date.now() };
    }
    for (const wake of this.#listeners) wake();
  }

  #record(frame: Message): void {
    if (frame.type === "piece") {
      // The decoder hands out views into its chunk; keep our own copy.
      this.received.push({ ...frame, block: frame.block.slice() });
      this.pieceBytes += frame.block.length;
    } else {
      this.received.push(frame);
    }
    for (const wake of this.#listeners) wake();
  }

  /** Re-runs `check` on every event until it returns a value (or throws). */
  #until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    let wake = () => {};
    const done = new Promise<T>((resolve, reject) => {
      wake = () => {
        try {
          const value = check();
          if (value !== undefined) resolve(value);
        } catch (error) {
          reject(error);
        }
      };
    });
    this.#listeners.add(wake);
    wake();
    return withTimeout(done, timeoutMs, what).finally(() => this.#listeners.delete(wake));
  }
}

/** Reads exactly `n` bytes with plain reads, so nothing after them is taken off the socket. */
async function readExactly(conn: Deno.Conn, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  for (let at = 0; at < n;) {
    const got = await conn.read(out.subarray(at));
    if (got === null) throw new Error(`connection closed after ${at} of ${n} bytes`);
    at += got;
  }
  return out;
}

function randomPeerId(): Uint8Array {
  const id = new TextEncoder().encode("-FL0001-000000000000");
  crypto.getRandomValues(id.subarray(8));
  return id;
}
