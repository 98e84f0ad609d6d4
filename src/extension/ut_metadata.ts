/**
 * BEP 9 `ut_metadata` messages: a bencoded dict `{msg_type, piece[, total_size]}`, and for a
 * `data` message the raw metadata piece right after the dict.
 * @module
 */

import { BencodeError } from "../bencode/bencode_error.ts";
import { type BencodeDict, dictGet, isBencodeDict } from "../bencode/bencode_value.ts";
import { decodeBencodePrefix } from "../bencode/decode_bencode.ts";
import { encodeBencode } from "../bencode/encode_bencode.ts";
import { concatBytes } from "../util/bytes.ts";
import { ExtensionError } from "./extension_error.ts";

/** Metadata travels in pieces of this size; only the last one may be shorter (BEP 9). */
export const METADATA_PIECE_SIZE = 16384;

/**
 * The largest info dict we fetch or serve, 16 MiB (libtorrent's default bound is 30 MiB; a
 * 16 MiB info dict already describes a torrent of about 800,000 pieces).
 */
export const MAX_METADATA_SIZE = 16 * 1024 * 1024;

/** One `ut_metadata` message. `piece` indexes the metadata in {@link METADATA_PIECE_SIZE} units. */
export type MetadataMessage =
  | { readonly type: "request"; readonly piece: number }
  | {
    readonly type: "data";
    readonly piece: number;
    /** Byte length of the whole metadata, as `metadata_size` in the extended handshake. */
    readonly totalSize: number;
    readonly data: Uint8Array;
  }
  | { readonly type: "reject"; readonly piece: number };

const MSG_TYPE = { request: 0, data: 1, reject: 2 } as const;

/**
 * Number of metadata pieces for a metadata size.
 * @example
 * ```ts
 * metadataPieceCount(16385); // 2
 * ```
 */
export function metadataPieceCount(size: number): number {
  return Math.ceil(size / METADATA_PIECE_SIZE);
}

/**
 * Byte length of piece `piece` of metadata of `size` bytes (16 KiB except maybe the last).
 * @example
 * ```ts
 * metadataPieceLength(16385, 1); // 1
 * ```
 */
export function metadataPieceLength(size: number, piece: number): number {
  return Math.min(METADATA_PIECE_SIZE, size - piece * METADATA_PIECE_SIZE);
}

function isValidSize(size: number): boolean {
  return Number.isSafeInteger(size) && size > 0 && size <= MAX_METADATA_SIZE;
}

function isValidPiece(piece: number): boolean {
  return Number.isSafeInteger(piece) && piece >= 0;
}

/** The `data` checks shared by both directions: size bounded, piece inside it, exact length. */
function checkData(piece: number, totalSize: number, length: number): void {
  if (!isValidSize(totalSize)) {
    throw new ExtensionError(
      `ut_metadata total_size ${totalSize} is not in 1..${MAX_METADATA_SIZE}`,
    );
  }
  if (piece >= metadataPieceCount(totalSize)) {
    throw new ExtensionError(`ut_metadata piece ${piece} is beyond total_size ${totalSize}`);
  }
  const expected = metadataPieceLength(totalSize, piece);
  if (length !== expected) {
    throw new ExtensionError(
      `ut_metadata piece ${piece} has ${length} bytes, expected ${expected} for total_size ${totalSize}`,
    );
  }
}

/**
 * Encodes a `ut_metadata` message as the payload of an extended message (after the id byte).
 * Throws {@link ExtensionError} for a negative piece, or a `data` message whose size, piece and
 * data length do not agree (every piece but the last is exactly 16 KiB).
 * @example
 * ```ts
 * new TextDecoder().decode(encodeMetadataMessage({ type: "request", piece: 0 }));
 * // "d8:msg_typei0e5:piecei0ee"
 * ```
 */
export function encodeMetadataMessage(message: MetadataMessage): Uint8Array {
  if (!isValidPiece(message.piece)) {
    throw new ExtensionError(`ut_metadata piece must be an integer >= 0, got ${message.piece}`);
  }
  if (message.type !== "data") {
    return encodeBencode({ msg_type: MSG_TYPE[message.type], piece: message.piece });
  }
  checkData(message.piece, message.totalSize, message.data.length);
  const head = encodeBencode({
    msg_type: MSG_TYPE.data,
    piece: message.piece,
    total_size: message.totalSize,
  });
  return concatBytes([head, message.data]);
}

/**
 * Decodes a `ut_metadata` payload. Returns undefined for an unknown `msg_type`, which BEP 9 says
 * to ignore. Throws {@link ExtensionError} when the payload does not start with a bencoded dict,
 * when `msg_type` or `piece` is missing or not a non-negative integer, and for a `data` message
 * whose `total_size` is missing or beyond {@link MAX_METADATA_SIZE}, whose piece lies beyond
 * it, or whose data is not exactly that piece's length. The returned `data` is a view into
 * `payload`; copy it if the buffer is reused.
 * @example
 * ```ts
 * decodeMetadataMessage(new TextEncoder().encode("d8:msg_typei2e5:piecei0ee"));
 * // { type: "reject", piece: 0 }
 * ```
 */
export function decodeMetadataMessage(payload: Uint8Array): MetadataMessage | undefined {
  let dict: BencodeDict;
  let length: number;
  try {
    const prefix = decodeBencodePrefix(payload);
    if (!isBencodeDict(prefix.value)) throw new ExtensionError("ut_metadata message is not a dict");
    dict = prefix.value;
    length = prefix.length;
  } catch (e) {
    if (e instanceof BencodeError) throw new ExtensionError(`ut_metadata: ${e.message}`);
    throw e;
  }
  const msgType = dictGet(dict, "msg_type");
  const piece = dictGet(dict, "piece");
  if (typeof msgType !== "number" || !Number.isInteger(msgType)) {
    throw new ExtensionError("ut_metadata message without an integer msg_type");
  }
  if (typeof piece !== "number" || !isValidPiece(piece)) {
    throw new ExtensionError("ut_metadata message without a piece index >= 0");
  }
  switch (msgType) {
    case MSG_TYPE.request:
      return { type: "request", piece };
    case MSG_TYPE.reject:
      return { type: "reject", piece };
    case MSG_TYPE.data: {
      const totalSize = dictGet(dict, "total_size");
      if (typeof totalSize !== "number") {
        throw new ExtensionError("ut_metadata data message without an integer total_size");
      }
      const data = payload.subarray(length);
      checkData(piece, totalSize, data.length);
      return { type: "data", piece, totalSize, data };
    }
    default:
      return undefined;
  }
}

/**
 * Our answer to a peer's `request` for piece `piece` of our metadata: the piece as a `data`
 * message, or a `reject` when we do not have the metadata yet (BEP 9: only verified metadata may
 * be served) or the piece is beyond it.
 * @example
 * ```ts
 * const answer = serveMetadata(metainfo.infoBytes, request.piece);
 * send({ type: "extended", id: peerUtMetadataId, payload: encodeMetadataMessage(answer) });
 * ```
 */
export function serveMetadata(
  infoBytes: Uint8Array | undefined,
  piece: number,
): MetadataMessage {
  if (
    !infoBytes || !isValidSize(infoBytes.length) || !isValidPiece(piece) ||
    piece >= metadataPieceCount(infoBytes.length)
  ) {
    return { type: "reject", piece };
  }
  const start = piece * METADATA_PIECE_SIZE;
  return {
    type: "data",
    piece,
    totalSize: infoBytes.length,
    data: infoBytes.subarray(start, start + METADATA_PIECE_SIZE),
  };
}
