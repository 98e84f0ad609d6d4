/**
 * The Diffie–Hellman exchange that starts an MSE handshake: a fixed 768-bit prime, generator 2,
 * public keys as 96 big-endian bytes. BigInt square-and-multiply is plenty for one 160-bit
 * exponent per connection, so no crypto dependency is needed.
 * @module
 */

import { MseError } from "./mse_error.ts";

/** Bytes of a public key or of the shared secret S. */
export const DH_KEY_LENGTH = 96;

/** The MSE prime P (768 bits). */
export const MSE_PRIME = BigInt(
  "0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563",
);

const GENERATOR = 2n;
/** Random bytes in a private key: the spec asks for at least 160 bits. */
const PRIVATE_KEY_BYTES = 20;

/** A private exponent; only {@linkcode newPrivateKey} makes one, so it is never small. */
export type PrivateKey = bigint & { readonly __brand: "MsePrivateKey" };

/**
 * A fresh random 160-bit private key.
 * @example
 * ```ts
 * const key = newPrivateKey();
 * ```
 */
export function newPrivateKey(): PrivateKey {
  const bytes = crypto.getRandomValues(new Uint8Array(PRIVATE_KEY_BYTES));
  // The top bit set keeps the exponent at a full 160 bits.
  bytes[0] |= 0x80;
  return bytesToBigInt(bytes) as PrivateKey;
}

/**
 * Our public key 2^x mod P as 96 bytes.
 * @example
 * ```ts
 * publicKey(newPrivateKey()).length; // 96
 * ```
 */
export function publicKey(privateKey: PrivateKey): Uint8Array {
  return bigIntToBytes(modPow(GENERATOR, privateKey, MSE_PRIME), DH_KEY_LENGTH);
}

/**
 * The shared secret S = Y^x mod P as 96 bytes. Throws {@linkcode MseError} for a degenerate
 * public key (0, 1, P-1 or beyond P), which would make S guessable.
 * @example
 * ```ts
 * const a = newPrivateKey();
 * const b = newPrivateKey();
 * sharedSecret(a, publicKey(b)); // equals sharedSecret(b, publicKey(a))
 * ```
 */
export function sharedSecret(privateKey: PrivateKey, theirPublicKey: Uint8Array): Uint8Array {
  if (theirPublicKey.length !== DH_KEY_LENGTH) {
    throw new MseError(`public key is ${theirPublicKey.length} bytes, expected ${DH_KEY_LENGTH}`);
  }
  const y = bytesToBigInt(theirPublicKey);
  if (y < 2n || y > MSE_PRIME - 2n) throw new MseError("degenerate Diffie-Hellman public key");
  return bigIntToBytes(modPow(y, privateKey, MSE_PRIME), DH_KEY_LENGTH);
}

/**
 * base^exponent mod modulus by square-and-multiply.
 * @example
 * ```ts
 * modPow(4n, 13n, 497n); // 445n
 * ```
 */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let hex = "0x0";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return BigInt(hex);
}

function bigIntToBytes(value: bigint, length: number): Uint8Array {
  const hex = value.toString(16).padStart(length * 2, "0");
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
