/**
 * The dialling side of an MSE handshake: used when a peer will not talk plaintext to us. It
 * offers the methods it was given and follows the responder's choice. Reads are bounded as on
 * the responder side: 96 key bytes, the encrypted VC within 512 bytes of padding, PadD up to 512.
 * @module
 */

import { concatBytes } from "../../util/bytes.ts";
import { DH_KEY_LENGTH, newPrivateKey, publicKey, sharedSecret } from "./diffie_hellman.ts";
import { writeAll } from "../../util/write_all.ts";
import { type ByteChannel, HandshakeReader } from "./handshake_reader.ts";
import { obfuscatedSkey, req1Hash, req3Hash, streamCiphers } from "./key_derivation.ts";
import { readUint32 } from "../messages.ts";
import { MseError } from "./mse_error.ts";
import {
  CRYPTO_PLAINTEXT,
  CRYPTO_RC4,
  MAX_PAD,
  type MseOutcome,
  padding,
  type PaddingLengths,
  randomPadding,
  readUint16,
  VC_LENGTH,
} from "./negotiation.ts";

/** Options for {@linkcode initiateMse}. */
export interface InitiatorOptions {
  /** The torrent we want (SKEY). */
  readonly infoHash: Uint8Array;
  /** crypto_provide bits: {@linkcode CRYPTO_PLAINTEXT} and/or {@linkcode CRYPTO_RC4}. */
  readonly provide: number;
  /** IA: bytes sent encrypted inside the handshake (often the BitTorrent handshake). */
  readonly initialPayload?: Uint8Array;
  readonly padding?: PaddingLengths;
}

/**
 * Runs the initiator's half of MSE on `channel`. Throws {@linkcode MseError} when the responder
 * breaks the protocol or picks a method we did not offer.
 * @example
 * ```ts
 * const outcome = await initiateMse(conn, { infoHash, provide: CRYPTO_PLAINTEXT | CRYPTO_RC4 });
 * ```
 */
export async function initiateMse(
  channel: ByteChannel,
  options: InitiatorOptions,
): Promise<MseOutcome> {
  const ia = options.initialPayload ?? new Uint8Array(0);
  if (ia.length > 0xffff) throw new RangeError(`initial payload of ${ia.length} bytes`);
  if ((options.provide & (CRYPTO_PLAINTEXT | CRYPTO_RC4)) === 0) {
    throw new RangeError("provide at least one crypto method");
  }
  const reader = new HandshakeReader(channel);
  const privateKey = newPrivateKey();
  const padA = options.padding?.afterKey;
  await writeAll(
    channel,
    concatBytes([publicKey(privateKey), padA === undefined ? randomPadding() : padding(padA)]),
  );
  const secret = sharedSecret(privateKey, await reader.exactly(DH_KEY_LENGTH));
  const ciphers = await streamCiphers(secret, options.infoHash, "initiator");

  const padCLength = options.padding?.inNegotiation ?? 0;
  const body = new Uint8Array(VC_LENGTH + 4 + 2 + padCLength + 2 + ia.length);
  const view = new DataView(body.buffer);
  view.setUint32(VC_LENGTH, options.provide);
  view.setUint16(VC_LENGTH + 4, padCLength);
  body.set(padding(padCLength), VC_LENGTH + 6);
  view.setUint16(VC_LENGTH + 6 + padCLength, ia.length);
  body.set(ia, VC_LENGTH + 8 + padCLength);
  ciphers.encrypt.apply(body);
  const asked = await obfuscatedSkey(options.infoHash, await req3Hash(secret));
  await writeAll(channel, concatBytes([await req1Hash(secret), asked, body]));

  // The responder's VC is eight zeros under its stream: the first eight keystream bytes.
  const encryptedVc = new Uint8Array(VC_LENGTH);
  ciphers.decrypt.apply(encryptedVc);
  await reader.scanPast(encryptedVc, MAX_PAD + VC_LENGTH);
  const head = await reader.exactly(4 + 2);
  ciphers.decrypt.apply(head);
  const selected = readUint32(head, 0);
  const padDLength = readUint16(head, 4);
  if (padDLength > MAX_PAD) throw new MseError(`PadD of ${padDLength} bytes exceeds ${MAX_PAD}`);
  ciphers.decrypt.apply(await reader.exactly(padDLength));
  if (
    (selected !== CRYPTO_PLAINTEXT && selected !== CRYPTO_RC4) ||
    (selected & options.provide) === 0
  ) {
    throw new MseError(`peer selected crypto method ${selected}, not one we offered`);
  }
  const method = selected === CRYPTO_RC4 ? "rc4" : "plaintext";
  const rest = reader.rest();
  if (method === "rc4") ciphers.decrypt.apply(rest);
  return {
    infoHash: options.infoHash,
    method,
    ciphers: method === "rc4" ? ciphers : undefined,
    initial: rest,
  };
}
