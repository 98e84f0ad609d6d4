/**
 * announce_peer tokens (BEP 5): a get_peers reply hands out a token bound to the asker's IP, and
 * an announce_peer must bring it back. A token is an HMAC of the IP under a secret that rotates
 * every {@link TOKEN_ROTATE_MS}; the previous secret is still accepted, so a token stays valid
 * for 5 to 10 minutes. Time comes in as `now`, so tests need no clock.
 * @module
 */

import { createHmac } from "node:crypto";
import { bytesEqual } from "../util/bytes.ts";

/** How often the secret changes. */
export const TOKEN_ROTATE_MS = 5 * 60_000;
/** Bytes of a token we hand out. */
const TOKEN_LENGTH = 8;
const SECRET_LENGTH = 20;

/**
 * Issues and checks announce tokens.
 * @example
 * ```ts
 * const tokens = new TokenIssuer(Date.now());
 * const token = tokens.issue("192.0.2.7", Date.now());
 * tokens.verify("192.0.2.7", token, Date.now()); // true
 * ```
 */
export class TokenIssuer {
  #current = newSecret();
  #previous = newSecret();
  #rotatedAt: number;

  constructor(now: number) {
    this.#rotatedAt = now;
  }

  /** The token for `host` as of `now`. */
  issue(host: string, now: number): Uint8Array {
    this.#rotate(now);
    return token(this.#current, host);
  }

  /** True when `candidate` is a token we issued to `host` under the current or previous secret. */
  verify(host: string, candidate: Uint8Array, now: number): boolean {
    this.#rotate(now);
    return bytesEqual(candidate, token(this.#current, host)) ||
      bytesEqual(candidate, token(this.#previous, host));
  }

  #rotate(now: number): void {
    const steps = Math.floor((now - this.#rotatedAt) / TOKEN_ROTATE_MS);
    if (steps <= 0) return;
    // After two or more periods the old current secret is too old to keep as previous.
    this.#previous = steps === 1 ? this.#current : newSecret();
    this.#current = newSecret();
    this.#rotatedAt += steps * TOKEN_ROTATE_MS;
  }
}

function newSecret(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(SECRET_LENGTH));
}

function token(secret: Uint8Array, host: string): Uint8Array {
  const mac = createHmac("sha1", secret).update(host).digest();
  return new Uint8Array(mac.buffer, mac.byteOffset, TOKEN_LENGTH).slice();
}
