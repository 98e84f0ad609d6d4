/**
 * What MSE derives from the shared secret S and the torrent's info-hash (SKEY): the hashes that
 * let a responder find the stream and the torrent without the info-hash going over the wire in
 * the clear, and the two RC4 streams. The initiator encrypts with keyA, the responder with keyB.
 * @module
 */

import { concatBytes, sha1 } from "../../util/bytes.ts";
import { mseRc4, type Rc4 } from "./rc4.ts";

const ascii = (text: string) => new TextEncoder().encode(text);
const REQ1 = ascii("req1");
const REQ2 = ascii("req2");
const REQ3 = ascii("req3");
const KEY_A = ascii("keyA");
const KEY_B = ascii("keyB");

/** Which end of the handshake we are: the side that dialled is the initiator. */
export type MseRole = "initiator" | "responder";

/** The two directions of an RC4-encrypted connection, from one side's point of view. */
export interface StreamCiphers {
  /** Applied to what we send. */
  readonly encrypt: Rc4;
  /** Applied to what we receive. */
  readonly decrypt: Rc4;
}

/**
 * HASH('req1', S): the marker a responder scans for after the initiator's padding.
 * @example
 * ```ts
 * const marker = await req1Hash(new Uint8Array(96)); // 20 bytes
 * ```
 */
export async function req1Hash(secret: Uint8Array): Promise<Uint8Array> {
  return await sha1(concatBytes([REQ1, secret]));
}

/**
 * HASH('req3', S): half of the obfuscated torrent identifier, shared by every candidate SKEY.
 * @example
 * ```ts
 * const mask = await req3Hash(new Uint8Array(96));
 * ```
 */
export async function req3Hash(secret: Uint8Array): Promise<Uint8Array> {
  return await sha1(concatBytes([REQ3, secret]));
}

/**
 * HASH('req2', SKEY) xor `req3`: the obfuscated info-hash the initiator sends.
 * @example
 * ```ts
 * const s = new Uint8Array(96);
 * const sent = await obfuscatedSkey(new Uint8Array(20), await req3Hash(s));
 * ```
 */
export async function obfuscatedSkey(skey: Uint8Array, req3: Uint8Array): Promise<Uint8Array> {
  const out = await sha1(concatBytes([REQ2, skey]));
  for (let i = 0; i < out.length; i++) out[i] ^= req3[i];
  return out;
}

/**
 * The RC4 streams for `role`: keyA = HASH('keyA', S, SKEY) for the initiator's bytes, keyB for
 * the responder's, each with 1024 keystream bytes dropped.
 * @example
 * ```ts
 * const s = new Uint8Array(96);
 * const skey = new Uint8Array(20);
 * const mine = await streamCiphers(s, skey, "initiator");
 * const theirs = await streamCiphers(s, skey, "responder");
 * // mine.encrypt and theirs.decrypt produce the same keystream
 * ```
 */
export async function streamCiphers(
  secret: Uint8Array,
  skey: Uint8Array,
  role: MseRole,
): Promise<StreamCiphers> {
  const a = mseRc4(await sha1(concatBytes([KEY_A, secret, skey])));
  const b = mseRc4(await sha1(concatBytes([KEY_B, secret, skey])));
  return role === "initiator" ? { encrypt: a, decrypt: b } : { encrypt: b, decrypt: a };
}
