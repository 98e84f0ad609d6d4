/**
 * Two connected in-memory byte channels, for running both ends of a handshake in one test
 * without sockets. Writes are recorded, so a test can replay or mutate what one side sent.
 * @module
 */

import type { ByteChannel } from "../../src/wire/mse/handshake_reader.ts";

/** One end of a {@linkcode duplexPair}. */
export interface MemoryChannel extends ByteChannel {
  /** Ends the stream the other end reads (its reads return null once drained). */
  close(): void;
  /** Everything written to this end so far, in order. */
  written(): Uint8Array;
}

/**
 * A connected pair: what `a` writes, `b` reads, and the other way round.
 * @example
 * ```ts
 * const [a, b] = duplexPair();
 * await a.write(new Uint8Array([1]));
 * await b.read(new Uint8Array(4)); // 1
 * ```
 */
export function duplexPair(): [MemoryChannel, MemoryChannel] {
  const ab = new Pipe();
  const ba = new Pipe();
  return [end(ba, ab), end(ab, ba)];
}

/**
 * A channel that reads `input` (then end of stream) and records what is written to it.
 * @example
 * ```ts
 * const channel = scriptedChannel(new Uint8Array(96));
 * ```
 */
export function scriptedChannel(input: Uint8Array, readSize = 64): MemoryChannel {
  const pipe = new Pipe();
  for (let at = 0; at < input.length; at += readSize) {
    pipe.push(input.slice(at, at + readSize));
  }
  pipe.close();
  return end(pipe, new Pipe());
}

function end(incoming: Pipe, outgoing: Pipe): MemoryChannel {
  return {
    read: (into) => incoming.read(into),
    write: (bytes) => {
      outgoing.push(bytes.slice());
      return Promise.resolve(bytes.length);
    },
    close: () => outgoing.close(),
    written: () => outgoing.all(),
  };
}

class Pipe {
  readonly #chunks: Uint8Array[] = [];
  readonly #log: Uint8Array[] = [];
  #closed = false;
  #wake: (() => void) | undefined;

  push(bytes: Uint8Array): void {
    if (this.#closed) throw new Error("write after close");
    this.#chunks.push(bytes);
    this.#log.push(bytes);
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  all(): Uint8Array {
    const out = new Uint8Array(this.#log.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of this.#log) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  async read(into: Uint8Array): Promise<number | null> {
    while (this.#chunks.length === 0) {
      if (this.#closed) return null;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
    const head = this.#chunks[0];
    const n = Math.min(head.length, into.length);
    into.set(head.subarray(0, n));
    if (n === head.length) this.#chunks.shift();
    else this.#chunks[0] = head.subarray(n);
    return n;
  }
}
