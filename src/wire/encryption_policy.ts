/**
 * How much a connection insists on Message Stream Encryption, as Transmission's encryption
 * modes: `tolerate` talks plaintext first and encrypts only for peers that want it, `prefer`
 * encrypts first and falls back to plaintext, `require` never talks plaintext. Pure decisions;
 * the connection code applies them.
 * @module
 */

import {
  CRYPTO_PLAINTEXT,
  CRYPTO_RC4,
  type CryptoMethod,
  selectMethod,
} from "./mse/negotiation.ts";

/** A connection's encryption policy. */
export type EncryptionPolicy = "tolerate" | "prefer" | "require";

/** Every policy, the default first. */
export const ENCRYPTION_POLICIES: readonly EncryptionPolicy[] = ["tolerate", "prefer", "require"];

/**
 * Whether `text` names a policy.
 * @example
 * ```ts
 * isEncryptionPolicy("require"); // true
 * isEncryptionPolicy("forced"); // false
 * ```
 */
export function isEncryptionPolicy(text: string): text is EncryptionPolicy {
  return (ENCRYPTION_POLICIES as readonly string[]).includes(text);
}

/** How one outgoing attempt opens: a plaintext BitTorrent handshake, or an MSE handshake. */
export type DialMethod = "plaintext" | "mse";

/** The attempts of an outgoing connection, within one deadline. */
export interface DialPlan {
  readonly first: DialMethod;
  /**
   * A second dial after the first attempt failed before the peer's BitTorrent handshake:
   * "hang-up" only when the peer closed without a word, "failure" also on garbage or a broken
   * MSE handshake.
   */
  readonly fallback?: { readonly method: DialMethod; readonly after: "hang-up" | "failure" };
}

/**
 * The dial order of a policy. `encryptionRetry` false drops tolerate's MSE redial (the other
 * policies ignore it: prefer's fallback is plaintext, require has none).
 * @example
 * ```ts
 * dialPlan("tolerate"); // { first: "plaintext", fallback: { method: "mse", after: "hang-up" } }
 * dialPlan("prefer"); // { first: "mse", fallback: { method: "plaintext", after: "failure" } }
 * dialPlan("require"); // { first: "mse" }
 * ```
 */
export function dialPlan(policy: EncryptionPolicy, encryptionRetry = true): DialPlan {
  switch (policy) {
    case "tolerate":
      return encryptionRetry
        ? { first: "plaintext", fallback: { method: "mse", after: "hang-up" } }
        : { first: "plaintext" };
    case "prefer":
      return { first: "mse", fallback: { method: "plaintext", after: "failure" } };
    case "require":
      return { first: "mse" };
  }
}

/**
 * The crypto_provide bits we send when dialling with MSE: RC4 only when encryption is required.
 * @example
 * ```ts
 * mseOffer("require"); // CRYPTO_RC4
 * mseOffer("prefer"); // CRYPTO_PLAINTEXT | CRYPTO_RC4
 * ```
 */
export function mseOffer(policy: EncryptionPolicy): number {
  return policy === "require" ? CRYPTO_RC4 : CRYPTO_PLAINTEXT | CRYPTO_RC4;
}

/**
 * The method we select as MSE responder from the peer's crypto_provide: tolerate takes
 * plaintext when offered (the payload is public; RC4 only costs CPU), prefer and require take
 * RC4, and require nothing else. Undefined: refuse the peer.
 * @example
 * ```ts
 * selectForPolicy("tolerate", CRYPTO_PLAINTEXT | CRYPTO_RC4); // "plaintext"
 * selectForPolicy("prefer", CRYPTO_PLAINTEXT | CRYPTO_RC4); // "rc4"
 * selectForPolicy("require", CRYPTO_PLAINTEXT); // undefined
 * ```
 */
export function selectForPolicy(
  policy: EncryptionPolicy,
  provided: number,
): CryptoMethod | undefined {
  if (policy === "tolerate") return selectMethod(provided);
  if (provided & CRYPTO_RC4) return "rc4";
  if (policy === "prefer" && provided & CRYPTO_PLAINTEXT) return "plaintext";
  return undefined;
}

/**
 * Whether an incoming plaintext BitTorrent handshake is answered.
 * @example
 * ```ts
 * acceptsPlaintext("prefer"); // true
 * acceptsPlaintext("require"); // false
 * ```
 */
export function acceptsPlaintext(policy: EncryptionPolicy): boolean {
  return policy !== "require";
}
