/**
 * What the two MSE roles share: the crypto method bits, the verification constant, padding
 * bounds, and the outcome a finished handshake hands to the connection.
 * @module
 */

import type { StreamCiphers } from "./key_derivation.ts";

/** crypto_provide / crypto_select bit for an unencrypted stream after the handshake. */
export const CRYPTO_PLAINTEXT = 0x01;
/** crypto_provide / crypto_select bit for an RC4-encrypted stream. */
export const CRYPTO_RC4 = 0x02;

/** What a stream carries after the handshake. */
export type CryptoMethod = "plaintext" | "rc4";

/** Padding of any kind (PadA..PadD) is at most this long. */
export const MAX_PAD = 512;
/** VC: eight zero bytes, encrypted, that prove both sides derived the same keys. */
export const VC_LENGTH = 8;

/** A finished MSE handshake. */
export interface MseOutcome {
  /** The torrent both sides agreed on (SKEY). */
  readonly infoHash: Uint8Array;
  readonly method: CryptoMethod;
  /** Present exactly when `method` is "rc4": continue the streams with them. */
  readonly ciphers?: StreamCiphers;
  /**
   * The peer's first stream bytes, already decrypted: its initial payload (IA) and whatever
   * followed it in the same reads. They go to the message decoder before anything else.
   */
  readonly initial: Uint8Array;
}

/**
 * The responder's choice from a crypto_provide field: plaintext when offered (the payload is
 * public; encrypting it only costs CPU), else RC4. Undefined when nothing we speak is offered.
 * @example
 * ```ts
 * selectMethod(CRYPTO_PLAINTEXT | CRYPTO_RC4); // "plaintext"
 * selectMethod(CRYPTO_RC4); // "rc4"
 * ```
 */
export function selectMethod(provided: number): CryptoMethod | undefined {
  if (provided & CRYPTO_PLAINTEXT) return "plaintext";
  if (provided & CRYPTO_RC4) return "rc4";
  return undefined;
}

/**
 * The crypto bit of a method.
 * @example
 * ```ts
 * methodBit("rc4"); // 2
 * ```
 */
export function methodBit(method: CryptoMethod): number {
  return method === "rc4" ? CRYPTO_RC4 : CRYPTO_PLAINTEXT;
}

/**
 * Random padding of random length 0..`max`, to blur the handshake's packet sizes.
 * @example
 * ```ts
 * randomPadding().length <= MAX_PAD; // true
 * ```
 */
export function randomPadding(max = MAX_PAD): Uint8Array {
  return padding(crypto.getRandomValues(new Uint16Array(1))[0] % (max + 1));
}

/**
 * `length` random bytes of padding (checked against {@linkcode MAX_PAD}).
 * @example
 * ```ts
 * padding(16).length; // 16
 * ```
 */
export function padding(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > MAX_PAD) {
    throw new RangeError(`padding of ${length} bytes is outside 0..${MAX_PAD}`);
  }
  return crypto.getRandomValues(new Uint8Array(length));
}

/** Padding lengths to use instead of the defaults (tests pin them to cover every case). */
export interface PaddingLengths {
  /** PadA / PadB, after the public key; default random 0..512. */
  readonly afterKey?: number;
  /** PadC / PadD, inside the encrypted negotiation; default 0, as other clients send. */
  readonly inNegotiation?: number;
}

/**
 * A 16-bit big-endian length field (padding and IA lengths).
 * @example
 * ```ts
 * readUint16(new Uint8Array([1, 0]), 0); // 256
 * ```
 */
export function readUint16(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 8) | bytes[at + 1];
}
