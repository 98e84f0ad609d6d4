/**
 * Peer wire messages (BEP 3, BEP 6 fast extension, BEP 10 extended, BEP 5 port): the types and
 * pure encode/decode of one length-prefixed message. Framing a byte stream lives in
 * `message_streams.ts`.
 * @module
 */

/** Message ids on the wire. */
export const MessageId = {
  Choke: 0,
  Unchoke: 1,
  Interested: 2,
  NotInterested: 3,
  Have: 4,
  Bitfield: 5,
  Request: 6,
  Piece: 7,
  Cancel: 8,
  Port: 9,
  Suggest: 13,
  HaveAll: 14,
  HaveNone: 15,
  Reject: 16,
  AllowedFast: 17,
  Extended: 20,
} as const;

/** A block address: piece index, byte offset in the piece, length. */
export interface BlockRef {
  readonly index: number;
  readonly begin: number;
  readonly length: number;
}

/** A decoded peer message. */
export type Message =
  | { readonly type: "keep-alive" }
  | { readonly type: "choke" }
  | { readonly type: "unchoke" }
  | { readonly type: "interested" }
  | { readonly type: "not-interested" }
  | { readonly type: "have"; readonly index: number }
  | { readonly type: "bitfield"; readonly bitfield: Uint8Array }
  | ({ readonly type: "request" } & BlockRef)
  | {
    readonly type: "piece";
    readonly index: number;
    readonly begin: number;
    readonly block: Uint8Array;
  }
  | ({ readonly type: "cancel" } & BlockRef)
  | { readonly type: "port"; readonly port: number }
  | { readonly type: "suggest"; readonly index: number }
  | { readonly type: "have-all" }
  | { readonly type: "have-none" }
  | ({ readonly type: "reject" } & BlockRef)
  | { readonly type: "allowed-fast"; readonly index: number }
  | { readonly type: "extended"; readonly id: number; readonly payload: Uint8Array };

/** The `type` of a {@linkcode Message}. */
export type MessageType = Message["type"];

/** Raised for a message that breaks the protocol; the peer is dropped. */
export class WireError extends Error {
  override name = "WireError";
}

const SIMPLE: Record<string, number> = {
  "choke": MessageId.Choke,
  "unchoke": MessageId.Unchoke,
  "interested": MessageId.Interested,
  "not-interested": MessageId.NotInterested,
  "have-all": MessageId.HaveAll,
  "have-none": MessageId.HaveNone,
};

/** Bytes {@linkcode encodeMessageInto} needs for a message, length prefix included. */
export function encodedLength(message: Message): number {
  switch (message.type) {
    case "keep-alive":
      return 4;
    case "have":
    case "suggest":
    case "allowed-fast":
      return 9;
    case "bitfield":
      return 5 + message.bitfield.length;
    case "request":
    case "cancel":
    case "reject":
      return 17;
    case "piece":
      return 13 + message.block.length;
    case "port":
      return 7;
    case "extended":
      return 6 + message.payload.length;
    default:
      return 5;
  }
}

/**
 * Writes a message (length prefix included) into `out` at `at`; returns the offset after it.
 * Used to pack many messages into one buffer, so one socket write carries a batch.
 * @example
 * ```ts
 * const msg = { type: "have", index: 7 } as const;
 * const out = new Uint8Array(encodedLength(msg));
 * encodeMessageInto(msg, out, 0); // 9
 * ```
 */
export function encodeMessageInto(message: Message, out: Uint8Array, at: number): number {
  const length = encodedLength(message);
  writeUint32(out, at, length - 4);
  switch (message.type) {
    case "keep-alive":
      break;
    case "have":
    case "suggest":
    case "allowed-fast":
      out[at + 4] = message.type === "have"
        ? MessageId.Have
        : message.type === "suggest"
        ? MessageId.Suggest
        : MessageId.AllowedFast;
      writeUint32(out, at + 5, message.index);
      break;
    case "bitfield":
      out[at + 4] = MessageId.Bitfield;
      out.set(message.bitfield, at + 5);
      break;
    case "request":
    case "cancel":
    case "reject":
      out[at + 4] = message.type === "request"
        ? MessageId.Request
        : message.type === "cancel"
        ? MessageId.Cancel
        : MessageId.Reject;
      writeUint32(out, at + 5, message.index);
      writeUint32(out, at + 9, message.begin);
      writeUint32(out, at + 13, message.length);
      break;
    case "piece":
      out[at + 4] = MessageId.Piece;
      writeUint32(out, at + 5, message.index);
      writeUint32(out, at + 9, message.begin);
      out.set(message.block, at + 13);
      break;
    case "port":
      out[at + 4] = MessageId.Port;
      out[at + 5] = message.port >>> 8;
      out[at + 6] = message.port;
      break;
    case "extended":
      out[at + 4] = MessageId.Extended;
      out[at + 5] = message.id;
      out.set(message.payload, at + 6);
      break;
    default:
      out[at + 4] = SIMPLE[message.type];
  }
  return at + length;
}

/**
 * Encodes messages into one buffer, each with its length prefix.
 * @example
 * ```ts
 * encodeMessages([{ type: "interested" }, { type: "keep-alive" }]).length; // 9
 * ```
 */
export function encodeMessages(messages: readonly Message[]): Uint8Array {
  let total = 0;
  for (const m of messages) total += encodedLength(m);
  const out = new Uint8Array(total);
  let at = 0;
  for (const m of messages) at = encodeMessageInto(m, out, at);
  return out;
}

/**
 * Decodes one message body (the bytes after the 4-byte length prefix). Payload fields are views
 * into `body`, not copies. Throws {@linkcode WireError} on an unknown id or a wrong length.
 * @example
 * ```ts
 * decodeMessage(new Uint8Array([4, 0, 0, 0, 7])); // { type: "have", index: 7 }
 * ```
 */
export function decodeMessage(body: Uint8Array): Message {
  return decodeMessageAt(body, 0, body.length);
}

/**
 * {@linkcode decodeMessage} of the body at `bytes[at, at + length)`, without making a view of the
 * body first. The framer calls this for every message of a download: it allocates no DataView,
 * closure or view beyond what the message itself holds.
 * @example
 * ```ts
 * const chunk = new Uint8Array([0, 0, 0, 5, 4, 0, 0, 0, 7]);
 * decodeMessageAt(chunk, 4, 5); // { type: "have", index: 7 }
 * ```
 */
export function decodeMessageAt(bytes: Uint8Array, at: number, length: number): Message {
  if (length === 0) return { type: "keep-alive" };
  const id = bytes[at];
  switch (id) {
    case MessageId.Choke:
      expectLength(id, length, 1);
      return { type: "choke" };
    case MessageId.Unchoke:
      expectLength(id, length, 1);
      return { type: "unchoke" };
    case MessageId.Interested:
      expectLength(id, length, 1);
      return { type: "interested" };
    case MessageId.NotInterested:
      expectLength(id, length, 1);
      return { type: "not-interested" };
    case MessageId.HaveAll:
      expectLength(id, length, 1);
      return { type: "have-all" };
    case MessageId.HaveNone:
      expectLength(id, length, 1);
      return { type: "have-none" };
    case MessageId.Have:
    case MessageId.Suggest:
    case MessageId.AllowedFast: {
      expectLength(id, length, 5);
      const index = readUint32(bytes, at + 1);
      const type = id === MessageId.Have
        ? "have"
        : id === MessageId.Suggest
        ? "suggest"
        : "allowed-fast";
      return { type, index };
    }
    case MessageId.Bitfield:
      return { type: "bitfield", bitfield: bytes.subarray(at + 1, at + length) };
    case MessageId.Request:
    case MessageId.Cancel:
    case MessageId.Reject: {
      expectLength(id, length, 13);
      const type = id === MessageId.Request
        ? "request"
        : id === MessageId.Cancel
        ? "cancel"
        : "reject";
      return {
        type,
        index: readUint32(bytes, at + 1),
        begin: readUint32(bytes, at + 5),
        length: readUint32(bytes, at + 9),
      };
    }
    case MessageId.Piece:
      if (length < 9) throw new WireError(`piece message too short (${length} bytes)`);
      return {
        type: "piece",
        index: readUint32(bytes, at + 1),
        begin: readUint32(bytes, at + 5),
        block: bytes.subarray(at + 9, at + length),
      };
    case MessageId.Port:
      expectLength(id, length, 3);
      return { type: "port", port: (bytes[at + 1] << 8) | bytes[at + 2] };
    case MessageId.Extended:
      if (length < 2) throw new WireError("extended message without an id");
      return { type: "extended", id: bytes[at + 1], payload: bytes.subarray(at + 2, at + length) };
    default:
      throw new WireError(`unknown message id ${id}`);
  }
}

function expectLength(id: number, length: number, expected: number): void {
  if (length !== expected) {
    throw new WireError(`message id ${id} has length ${length}, expected ${expected}`);
  }
}

/**
 * The big-endian unsigned 32-bit integer at `bytes[at]` (network byte order, as the wire and
 * its length prefixes use), without a DataView.
 * @example
 * ```ts
 * readUint32(new Uint8Array([0, 0, 1, 2]), 0); // 258
 * ```
 */
export function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
}

function writeUint32(out: Uint8Array, at: number, value: number): void {
  out[at] = value >>> 24;
  out[at + 1] = value >>> 16;
  out[at + 2] = value >>> 8;
  out[at + 3] = value;
}
