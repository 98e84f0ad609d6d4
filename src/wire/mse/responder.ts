/**
 * The receiving side of an MSE handshake, for a connection whose first bytes were not a
 * plaintext BitTorrent handshake. It learns the torrent from the peer's obfuscated info-hash,
 * picks a stream method from the peer's offer (plaintext by default), and hands back what
 * followed the handshake.
 * Every read is bounded: 96 key bytes, the req1 marker within 512 bytes of padding, padding
 * lengths up to 512, and the initial payload within its 16-bit length.
 * @module
 */

import { bytesEqual, concatBytes } from "../../util/bytes.ts";
import { DH_KEY_LENGTH, newPrivateKey, publicKey, sharedSecret } from "./diffie_hellman.ts";
import { writeAll } from "../../util/write_all.ts";
import { type ByteChannel, HandshakeReader } from "./handshake_reader.ts";
import { obfuscatedSkey, req1Hash, req3Hash, streamCiphers } from "./key_derivation.ts";
import { readUint32 } from "../messages.ts";
import { MseError } from "./mse_error.ts";
import {
  type CryptoMethod,
  MAX_PAD,
  methodBit,
  type MseOutcome,
  padding,
  type PaddingLengths,
  randomPadding,
  readUint16,
  selectMethod,
  VC_LENGTH,
} from "./negotiation.ts";

/** Length of the req1 marker and of the obfuscated info-hash (SHA-1 digests). */
const HASH_LENGTH = 20;

/** Options for {@linkcode respondMse}. */
export interface ResponderOptions {
  /** The info-hashes we serve: the peer's obfuscated one must be among them. */
  readonly infoHashes: Iterable<Uint8Array>;
  /** Bytes already read from the channel (the start of the peer's public key). */
  readonly opening?: Uint8Array;
  readonly padding?: PaddingLengths;
  /**
   * Our choice from the peer's crypto_provide bits; undefined refuses the peer. Default
   * {@linkcode selectMethod}: plaintext when offered, else RC4.
   */
  readonly select?: (provided: number) => CryptoMethod | undefined;
}

/**
 * Runs the responder's half of MSE on `channel`. Throws {@linkcode MseError} on anything the
 * protocol does not allow, including a torrent we do not serve.
 * @example
 * ```ts
 * const outcome = await respondMse(conn, { infoHashes: [infoHash], opening: firstBytes });
 * outcome.method; // "plaintext" or "rc4"
 * ```
 */
export async function respondMse(
  channel: ByteChannel,
  options: ResponderOptions,
): Promise<MseOutcome> {
  const reader = new HandshakeReader(channel, options.opening);
  const theirKey = await reader.exactly(DH_KEY_LENGTH);
  const privateKey = newPrivateKey();
  const secret = sharedSecret(privateKey, theirKey);
  const padB = options.padding?.afterKey;
  await writeAll(
    channel,
    concatBytes([publicKey(privateKey), padB === undefined ? randomPadding() : padding(padB)]),
  );

  await reader.scanPast(await req1Hash(secret), MAX_PAD + HASH_LENGTH);
  const asked = await reader.exactly(HASH_LENGTH);
  const req3 = await req3Hash(secret);
  let infoHash: Uint8Array | undefined;
  for (const candidate of options.infoHashes) {
    if (bytesEqual(await obfuscatedSkey(candidate, req3), asked)) {
      infoHash = candidate;
      break;
    }
  }
  if (!infoHash) throw new MseError("peer asked for a torrent we do not serve");

  const ciphers = await streamCiphers(secret, infoHash, "responder");
  const head = await reader.exactly(VC_LENGTH + 4 + 2);
  ciphers.decrypt.apply(head);
  if (!head.subarray(0, VC_LENGTH).every((b) => b === 0)) {
    throw new MseError("wrong verification constant");
  }
  const provided = readUint32(head, VC_LENGTH);
  const padCLength = readUint16(head, VC_LENGTH + 4);
  if (padCLength > MAX_PAD) throw new MseError(`PadC of ${padCLength} bytes exceeds ${MAX_PAD}`);
  const padC = await reader.exactly(padCLength + 2);
  ciphers.decrypt.apply(padC);
  const initialPayload = await reader.exactly(readUint16(padC, padCLength));
  ciphers.decrypt.apply(initialPayload);
  const method = (options.select ?? selectMethod)(provided);
  if (!method) throw new MseError(`no common crypto method in crypto_provide ${provided}`);

  const padDLength = options.padding?.inNegotiation ?? 0;
  const reply = new Uint8Array(VC_LENGTH + 4 + 2 + padDLength);
  new DataView(reply.buffer).setUint32(VC_LENGTH, methodBit(method));
  new DataView(reply.buffer).setUint16(VC_LENGTH + 4, padDLength);
  reply.set(padding(padDLength), VC_LENGTH + 6);
  ciphers.encrypt.apply(reply);
  await writeAll(channel, reply);

  const rest = reader.rest();
  if (method === "rc4") ciphers.decrypt.apply(rest);
  return {
    infoHash,
    method,
    ciphers: method === "rc4" ? ciphers : undefined,
    initial: concatBytes([initialPayload, rest]),
  };
}
