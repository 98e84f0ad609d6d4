/**
 * A scriptable peer for the metadata phase of a magnet link (BEP 9/10), built from our own wire
 * and extension codecs: it answers the BitTorrent handshake with the extension bit, sends an
 * extended handshake with the `metadata_size` it is told to claim, and answers ut_metadata
 * requests honestly or not. It never offers pieces: the payload comes from real peers. Only for
 * hostile behaviour no real client shows on demand.
 * @module
 */

import { startFakeListener } from "./fake_listener.ts";
import {
  decodeExtendedHandshake,
  encodeExtendedHandshake,
  peerExtensionId,
} from "../../src/extension/extended_handshake.ts";
import {
  decodeMetadataMessage,
  encodeMetadataMessage,
  METADATA_PIECE_SIZE,
  metadataPieceCount,
  metadataPieceLength,
} from "../../src/extension/ut_metadata.ts";
import { encodeHandshake } from "../../src/wire/handshake.ts";
import { MessageDecoderStream, type WireFrame } from "../../src/wire/message_streams.ts";
import { encodeMessages, type Message } from "../../src/wire/messages.ts";

/**
 * How the peer answers a ut_metadata `request`:
 * - `honest`: the piece of the real info dict (for a peer claiming the real size);
 * - `corrupt`: a piece of the right length for the claimed size whose bytes are wrong, so the
 *   whole does not hash to the info-hash;
 * - `wrong-total-size`: a `data` message whose `total_size` is twice the claimed size;
 * - `reject`: a `reject`;
 * - `silent`: nothing at all.
 */
export type MetadataAnswer = "honest" | "corrupt" | "wrong-total-size" | "reject" | "silent";

/** What the fake peer claims and does. */
export interface FakeMetadataPeerOptions {
  readonly infoHash: Uint8Array;
  /** The real info dict (bencoded). */
  readonly infoBytes: Uint8Array;
  /** `metadata_size` in its extended handshake; default the real size. */
  readonly metadataSize?: number;
  /** One answer for every request, or an answer for each piece. */
  readonly answer: MetadataAnswer | ((piece: number) => MetadataAnswer);
}

/** A running fake peer. */
export interface FakeMetadataPeer {
  readonly port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Metadata pieces requested of it so far, in order. */
  requests(): readonly number[];
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** The id we ask the client to send ut_metadata messages to us under (any 1..255 works). */
const OUR_UT_METADATA_ID = 3;

/** `size` bytes of wrong metadata: the real bytes flipped (certainly another hash), padded. */
function corruptMetadata(infoBytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(infoBytes.subarray(0, size));
  for (let i = 0; i < out.length; i++) out[i] ^= 0xff;
  return out;
}

/**
 * Listens on 127.0.0.1 (any port) and plays `options` to whoever connects.
 * @example
 * ```ts
 * const liar = startFakeMetadataPeer({ infoHash, infoBytes, answer: "corrupt" });
 * await liar.close();
 * ```
 */
export function startFakeMetadataPeer(options: FakeMetadataPeerOptions): FakeMetadataPeer {
  const size = options.metadataSize ?? options.infoBytes.length;
  const corrupt = corruptMetadata(options.infoBytes, size);
  const answerFor = typeof options.answer === "function"
    ? options.answer
    : () => options.answer as MetadataAnswer;
  const requests: number[] = [];

  /** The ut_metadata answer to a request for `piece`, as an extended message payload. */
  const answer = (piece: number): Uint8Array | undefined => {
    const how = answerFor(piece);
    if (how === "silent") return undefined;
    if (how === "reject" || piece >= metadataPieceCount(size)) {
      return encodeMetadataMessage({ type: "reject", piece });
    }
    if (how === "wrong-total-size") {
      // A piece as long as the doubled size wants, so the message itself is well-formed.
      const totalSize = size * 2;
      const data = new Uint8Array(metadataPieceLength(totalSize, piece));
      return encodeMetadataMessage({ type: "data", piece, totalSize, data });
    }
    const metadata = how === "honest" ? options.infoBytes : corrupt;
    const data = metadata.subarray(piece * METADATA_PIECE_SIZE, (piece + 1) * METADATA_PIECE_SIZE);
    return encodeMetadataMessage({ type: "data", piece, totalSize: size, data });
  };

  const serve = async (conn: Deno.Conn) => {
    const writer = conn.writable.getWriter();
    const frames = conn.readable.pipeThrough(new MessageDecoderStream({ handshake: true }));
    // The id the client wants ut_metadata messages sent to it under (its extended handshake).
    let clientId: number | undefined;
    try {
      for await (const frame of frames as AsyncIterable<WireFrame>) {
        if (frame.type === "handshake") {
          await writer.write(encodeHandshake({
            infoHash: options.infoHash,
            peerId: new TextEncoder().encode("-FM0001-fakemetadata"),
            features: { extended: true, fast: false, dht: false },
          }));
          const handshake = encodeExtendedHandshake({
            m: { ut_metadata: OUR_UT_METADATA_ID },
            v: "fake metadata peer",
            metadataSize: size,
          });
          await writer.write(encodeMessages([{ type: "extended", id: 0, payload: handshake }]));
        } else if (frame.type === "extended" && frame.id === 0) {
          clientId = peerExtensionId(decodeExtendedHandshake(frame.payload), "ut_metadata");
        } else if (frame.type === "extended" && frame.id === OUR_UT_METADATA_ID) {
          const message = decodeMetadataMessage(frame.payload);
          if (message?.type !== "request") continue;
          requests.push(message.piece);
          const payload = answer(message.piece);
          if (payload && clientId !== undefined) {
            const reply: Message = { type: "extended", id: clientId, payload };
            await writer.write(encodeMessages([reply]));
          }
        }
      }
    } catch {
      // The client hung up on us: expected for a hostile peer.
    }
  };
  const fake = startFakeListener(serve);
  return { ...fake, requests: () => requests };
}
