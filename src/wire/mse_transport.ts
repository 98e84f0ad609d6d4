/**
 * How a TCP connection becomes a byte stream for the peer wire protocol: plaintext as it is, or
 * behind an MSE handshake. Incoming connections are told apart by their first bytes; an outgoing
 * connection is encrypted when its {@linkcode EncryptionPolicy} dial plan says so.
 * What comes out is the bytes the decoder must see first and, for RC4, the two ciphers; the
 * plaintext path gets no extra copy or stage.
 * @module
 */

import {
  acceptsPlaintext,
  type EncryptionPolicy,
  mseOffer,
  selectForPolicy,
} from "./encryption_policy.ts";
import { HandshakeError } from "./handshake.ts";
import { type ByteChannel } from "./mse/handshake_reader.ts";
import { initiateMse } from "./mse/initiator.ts";
import type { StreamCiphers } from "./mse/key_derivation.ts";
import { MseError } from "./mse/mse_error.ts";
import type { MseOutcome } from "./mse/negotiation.ts";
import { respondMse } from "./mse/responder.ts";

/** The protocol name of a plaintext handshake, after its length byte 19. */
const PROTOCOL = new TextEncoder().encode("\x13BitTorrent protocol");

/** A connection ready for the peer wire protocol. */
export interface Transport {
  /** Bytes already read and decrypted: the message decoder gets them first. */
  readonly prefix: Uint8Array;
  /** Present for RC4: decrypt what we read, encrypt what we write. */
  readonly ciphers?: StreamCiphers;
  /** The torrent an MSE handshake agreed on; the BitTorrent handshake must name the same one. */
  readonly infoHash?: Uint8Array;
  readonly encryption: "none" | "plaintext-mse" | "rc4";
}

/**
 * Reads the start of an incoming connection: a plaintext BitTorrent handshake is left for the
 * decoder (or refused when the policy requires encryption), anything else is taken for an MSE
 * initiator and answered as the policy selects, matching its torrent against `infoHashes`.
 * Throws {@linkcode MseError} or {@linkcode HandshakeError} on garbage or a refused peer.
 * @example
 * ```ts
 * const transport = await incomingTransport(conn, () => [infoHash], "require");
 * ```
 */
export async function incomingTransport(
  channel: ByteChannel,
  infoHashes?: () => Iterable<Uint8Array>,
  policy: EncryptionPolicy = "tolerate",
): Promise<Transport> {
  const opening = await readOpening(channel);
  if (opening.subarray(0, PROTOCOL.length).every((b, i) => b === PROTOCOL[i])) {
    if (!acceptsPlaintext(policy)) throw new MseError("plaintext handshake, encryption required");
    return { prefix: opening, encryption: "none" };
  }
  if (!infoHashes) throw new MseError("encrypted handshake, and no torrents to match it against");
  const select = (provided: number) => selectForPolicy(policy, provided);
  return fromOutcome(await respondMse(channel, { infoHashes: infoHashes(), opening, select }));
}

/**
 * Runs an MSE handshake as the dialling side, offering what the policy allows (plaintext and
 * RC4, or RC4 alone for `require`); the peer picks.
 * @example
 * ```ts
 * const transport = await outgoingMseTransport(conn, infoHash, "require");
 * ```
 */
export async function outgoingMseTransport(
  channel: ByteChannel,
  infoHash: Uint8Array,
  policy: EncryptionPolicy = "tolerate",
): Promise<Transport> {
  return fromOutcome(await initiateMse(channel, { infoHash, provide: mseOffer(policy) }));
}

function fromOutcome(outcome: MseOutcome): Transport {
  return {
    prefix: outcome.initial,
    ciphers: outcome.ciphers,
    infoHash: outcome.infoHash,
    encryption: outcome.method === "rc4" ? "rc4" : "plaintext-mse",
  };
}

/** At least as many bytes as the protocol name (an MSE public key starts so by 2^-160 chance). */
async function readOpening(channel: ByteChannel): Promise<Uint8Array> {
  const buffer = new Uint8Array(4096);
  let filled = 0;
  while (filled < PROTOCOL.length) {
    const n = await channel.read(buffer.subarray(filled));
    if (n === null) throw new HandshakeError("closed before a handshake");
    filled += n;
  }
  return buffer.slice(0, filled);
}
