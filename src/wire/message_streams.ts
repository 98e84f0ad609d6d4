/**
 * Web Streams that turn a TCP byte stream into peer messages and back. The decoder copies a
 * message only when it straddles two chunks; everything else is a view into the chunk.
 * @module
 */

import { decodeHandshake, encodeHandshake, type Handshake, HANDSHAKE_LENGTH } from "./handshake.ts";
import type { BufferPool } from "../util/buffer_pool.ts";
import {
  decodeMessage,
  decodeMessageAt,
  encodedLength,
  encodeMessageInto,
  type Message,
  readUint32,
  WireError,
} from "./messages.ts";

/** What travels on a peer connection: the handshake once, then messages. */
export type WireFrame = Message | { readonly type: "handshake"; readonly handshake: Handshake };

/** Default bound on one message: a 16 KiB block with room for large bitfields and extensions. */
export const DEFAULT_MAX_MESSAGE_LENGTH = 1 << 20;

/** Options for {@linkcode MessageUnframer}. */
export interface UnframerOptions {
  /** Expect a 68-byte handshake before the first message. */
  readonly handshake?: boolean;
  /** Messages longer than this (length prefix) end the connection. */
  readonly maxMessageLength?: number;
}

/**
 * Push-based framing: feed chunks of any size, get whole frames. Pure, so chunk boundaries are
 * easy to test; {@linkcode MessageDecoderStream} wraps it.
 * @example
 * ```ts
 * const unframer = new MessageUnframer();
 * const frames: WireFrame[] = [];
 * unframer.push(new Uint8Array([0, 0, 0, 1]), (f) => frames.push(f));
 * unframer.push(new Uint8Array([2]), (f) => frames.push(f)); // frames: [{ type: "interested" }]
 * ```
 */
export class MessageUnframer {
  #awaitHandshake: boolean;
  readonly #maxLength: number;
  /** A frame being assembled across chunks, allocated at its full size once known. */
  #partial: Uint8Array | undefined;
  #partialFilled = 0;
  /** Up to 4 bytes of a length prefix split across chunks. */
  readonly #prefix = new Uint8Array(4);
  #prefixFilled = 0;

  constructor(options: UnframerOptions = {}) {
    this.#awaitHandshake = options.handshake ?? false;
    this.#maxLength = options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH;
  }

  /** Bytes held for an incomplete frame. */
  get buffered(): number {
    return this.#prefixFilled + this.#partialFilled;
  }

  /** Consumes a chunk, calling `emit` for every complete frame in order. */
  push(chunk: Uint8Array, emit: (frame: WireFrame) => void): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.#partial) {
        const take = Math.min(this.#partial.length - this.#partialFilled, chunk.length - at);
        this.#partial.set(chunk.subarray(at, at + take), this.#partialFilled);
        this.#partialFilled += take;
        at += take;
        if (this.#partialFilled === this.#partial.length) {
          const whole = this.#partial;
          this.#partial = undefined;
          this.#partialFilled = 0;
          emit(this.#decode(whole));
        }
        continue;
      }
      if (this.#awaitHandshake) {
        this.#startPartial(HANDSHAKE_LENGTH);
        continue;
      }
      if (this.#prefixFilled === 0 && chunk.length - at >= 4) {
        // Fast path: the whole message may sit in this chunk; decode it in place.
        const length = this.#checkLength(readUint32(chunk, at));
        if (chunk.length - at - 4 >= length) {
          emit(decodeMessageAt(chunk, at + 4, length));
          at += 4 + length;
        } else {
          at += 4;
          this.#startPartial(length);
        }
        continue;
      }
      while (this.#prefixFilled < 4 && at < chunk.length) {
        this.#prefix[this.#prefixFilled++] = chunk[at++];
      }
      if (this.#prefixFilled === 4) {
        this.#prefixFilled = 0;
        const length = this.#checkLength(readUint32(this.#prefix, 0));
        if (length === 0) emit({ type: "keep-alive" });
        else this.#startPartial(length);
      }
    }
  }

  #startPartial(length: number) {
    this.#partial = new Uint8Array(length);
    this.#partialFilled = 0;
  }

  #checkLength(length: number): number {
    if (length > this.#maxLength) {
      throw new WireError(`message length ${length} exceeds the bound of ${this.#maxLength}`);
    }
    return length;
  }

  #decode(frame: Uint8Array): WireFrame {
    if (this.#awaitHandshake) {
      this.#awaitHandshake = false;
      return { type: "handshake", handshake: decodeHandshake(frame) };
    }
    return decodeMessage(frame);
  }
}

/**
 * Bytes in, frames out. Errors (bad length, unknown id, bad handshake) error the stream.
 * @example
 * ```ts
 * const frames = ReadableStream.from([new Uint8Array([0, 0, 0, 0])])
 *   .pipeThrough(new MessageDecoderStream());
 * for await (const frame of frames) console.log(frame.type); // "keep-alive"
 * ```
 */
export class MessageDecoderStream extends TransformStream<Uint8Array, WireFrame> {
  constructor(options: UnframerOptions = {}) {
    const unframer = new MessageUnframer(options);
    super({
      transform(chunk, controller) {
        unframer.push(chunk, (frame) => controller.enqueue(frame));
      },
      flush() {
        if (unframer.buffered > 0) throw new WireError("connection closed inside a message");
      },
    });
  }
}

/** Options for {@linkcode MessageEncoderStream}. */
export interface EncoderOptions {
  /**
   * Where output buffers come from. The consumer of the readable side owns each chunk and gives
   * it back to the pool once written (a {@linkcode socketWriter} does). Absent: fresh arrays.
   */
  readonly buffers?: BufferPool;
}

/**
 * Batches of frames in, one buffer per batch out, so a burst of requests costs one socket write.
 * @example
 * ```ts
 * const encoder = new MessageEncoderStream();
 * const writer = encoder.writable.getWriter();
 * writer.write([{ type: "interested" }, { type: "keep-alive" }]);
 * ```
 */
export class MessageEncoderStream extends TransformStream<readonly WireFrame[], Uint8Array> {
  constructor(options: EncoderOptions = {}) {
    const buffers = options.buffers;
    super({
      transform(frames, controller) {
        let total = 0;
        for (const f of frames) {
          total += f.type === "handshake" ? HANDSHAKE_LENGTH : encodedLength(f);
        }
        const out = buffers ? buffers.take(total) : new Uint8Array(total);
        let at = 0;
        for (const f of frames) {
          if (f.type === "handshake") {
            out.set(encodeHandshake(f.handshake), at);
            at += HANDSHAKE_LENGTH;
          } else {
            at = encodeMessageInto(f, out, at);
          }
        }
        controller.enqueue(out);
      },
    });
  }
}
