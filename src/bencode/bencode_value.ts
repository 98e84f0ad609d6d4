/**
 * The shape of decoded bencode and type guards to walk untrusted values safely.
 * @module
 */

/** A decoded bencode dict. Keys are UTF-8 text (hex when the key bytes are not UTF-8). */
export type BencodeDict = { readonly [key: string]: BencodeValue };

/** A decoded bencode value: integer, byte string, list or dict. */
export type BencodeValue = number | Uint8Array | readonly BencodeValue[] | BencodeDict;

/**
 * True for a decoded dict (not a list, not a byte string).
 * @example
 * ```ts
 * isBencodeDict(decodeBencode(new TextEncoder().encode("de"))); // true
 * ```
 */
export function isBencodeDict(value: unknown): value is BencodeDict {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    !(value instanceof Uint8Array);
}

/**
 * The value stored under `key`, looking only at the dict's own keys (never inherited ones such
 * as `constructor`, which a hostile file could otherwise name).
 * @example
 * ```ts
 * const dict = decodeBencode(new TextEncoder().encode("d1:ai1ee")) as BencodeDict;
 * dictGet(dict, "a"); // 1
 * dictGet(dict, "toString"); // undefined
 * ```
 */
export function dictGet(dict: BencodeDict, key: string): BencodeValue | undefined {
  return Object.hasOwn(dict, key) ? dict[key] : undefined;
}

const utf8 = new TextDecoder();

/**
 * The string npm:bencode uses as the key for these key bytes: their UTF-8 text, or lower-case
 * hex when the bytes are not valid UTF-8.
 * @example
 * ```ts
 * bencodeKeyString(new Uint8Array([0x61])); // "a"
 * bencodeKeyString(new Uint8Array([0xff])); // "ff"
 * ```
 */
export function bencodeKeyString(bytes: Uint8Array): string {
  const text = utf8.decode(bytes);
  if (!text.includes("\uFFFD")) return text;
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return hex;
}
