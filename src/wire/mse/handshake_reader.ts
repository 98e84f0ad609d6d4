/**
 * Buffered reads for the MSE handshake: exact lengths, and bounded scans for a sync marker whose
 * position the peer hides behind random padding. Works on any {@linkcode ByteChannel} (a Deno
 * TCP connection is one), so the handshake runs over in-memory pipes in tests. Bytes read past
 * the handshake are handed back by {@linkcode HandshakeReader.rest}: they are the peer's first
 * messages and belong to the message decoder.
 * @module
 */

import { MseError } from "./mse_error.ts";

/** The two calls the handshake needs from a socket; `Deno.Conn` has both. */
export interface ByteChannel {
  /** Reads into `into`; resolves with the count, or null at end of stream. */
  read(into: Uint8Array): Promise<number | null>;
  /** Writes some of `bytes`; resolves with the count written. */
  write(bytes: Uint8Array): Promise<number>;
}

/** Bytes read at a time. */
const READ_SIZE = 4096;
/** The largest handshake step: 2 length bytes, up to 65535 bytes of IA, and one read beyond. */
const DEFAULT_MAX_BUFFERED = 2 + 0xffff + READ_SIZE;

/**
 * Reads from a channel through a bounded buffer.
 * @example
 * ```ts
 * const reader = new HandshakeReader(conn);
 * const theirKey = await reader.exactly(96);
 * await reader.scanPast(marker, 532);
 * const leftover = reader.rest();
 * ```
 */
export class HandshakeReader {
  readonly #channel: ByteChannel;
  readonly #maxBuffered: number;
  #buffer: Uint8Array;
  #start = 0;
  #end = 0;

  /** `opening`: bytes already read from the channel (they come first). */
  constructor(channel: ByteChannel, opening?: Uint8Array, maxBuffered = DEFAULT_MAX_BUFFERED) {
    this.#channel = channel;
    this.#maxBuffered = Math.max(maxBuffered, opening?.length ?? 0);
    this.#buffer = new Uint8Array(Math.max(READ_SIZE, opening?.length ?? 0));
    if (opening) {
      this.#buffer.set(opening);
      this.#end = opening.length;
    }
  }

  /** The next `length` bytes, as a copy the caller may decrypt in place. */
  async exactly(length: number): Promise<Uint8Array> {
    await this.#fill(length);
    const out = this.#buffer.slice(this.#start, this.#start + length);
    this.#start += length;
    return out;
  }

  /**
   * Consumes bytes up to and including the first occurrence of `pattern`, which must end
   * within `within` bytes of the current position; throws {@linkcode MseError} otherwise.
   */
  async scanPast(pattern: Uint8Array, within: number): Promise<void> {
    let from = 0;
    while (true) {
      const available = this.#end - this.#start;
      const last = Math.min(available, within) - pattern.length;
      for (let i = from; i <= last; i++) {
        if (this.#matchesAt(pattern, this.#start + i)) {
          this.#start += i + pattern.length;
          return;
        }
      }
      if (available >= within) {
        throw new MseError(`no sync marker within ${within} bytes`);
      }
      from = Math.max(0, last + 1);
      await this.#fill(available + 1);
    }
  }

  /** Everything read but not consumed; the reader is empty afterwards. */
  rest(): Uint8Array {
    const out = this.#buffer.slice(this.#start, this.#end);
    this.#start = this.#end = 0;
    return out;
  }

  #matchesAt(pattern: Uint8Array, at: number): boolean {
    for (let k = 0; k < pattern.length; k++) {
      if (this.#buffer[at + k] !== pattern[k]) return false;
    }
    return true;
  }

  /** Reads until at least `length` unconsumed bytes are buffered. */
  async #fill(length: number): Promise<void> {
    if (length > this.#maxBuffered) {
      throw new MseError(`handshake step of ${length} bytes exceeds ${this.#maxBuffered}`);
    }
    while (this.#end - this.#start < length) {
      this.#makeRoom(length);
      const n = await this.#channel.read(this.#buffer.subarray(this.#end));
      if (n === null) throw new MseError("connection closed during the encryption handshake");
      this.#end += n;
    }
  }

  /** Room for `length` unconsumed bytes plus one read, within the bound. */
  #makeRoom(length: number): void {
    const held = this.#end - this.#start;
    const wanted = Math.min(this.#maxBuffered, Math.max(length, held) + READ_SIZE);
    if (this.#buffer.length - this.#start >= wanted) return;
    const target = wanted > this.#buffer.length ? new Uint8Array(wanted) : this.#buffer;
    target.set(this.#buffer.subarray(this.#start, this.#end));
    this.#buffer = target;
    this.#start = 0;
    this.#end = held;
  }
}
