/**
 * Strict bencode decoding: our scanner validates, npm:bencode builds the value.
 * @module
 */

import bencode from "bencode";
import { BencodeError } from "./bencode_error.ts";
import type { BencodeValue } from "./bencode_value.ts";
import { DEFAULT_MAX_DEPTH, scanBencode } from "./scan_bencode.ts";

/** Limits for decoding untrusted input. */
export interface DecodeOptions {
  /** Deepest nesting of lists and dicts accepted; 100 when not given. */
  readonly maxDepth?: number;
}

/**
 * Decodes exactly one bencoded value that spans all of `bytes`. Byte strings come back as
 * `Uint8Array`, dict keys as strings (UTF-8, or hex when a key is not UTF-8). Anything malformed
 * — truncation, `i03e`, `i-0e`, integers beyond ±2^53, non-string or duplicate keys, nesting
 * deeper than `maxDepth`, trailing bytes — throws {@link BencodeError}.
 * @example
 * ```ts
 * decodeBencode(new TextEncoder().encode("d3:cowi3ee")); // { cow: 3 }
 * ```
 */
export function decodeBencode(bytes: Uint8Array, options: DecodeOptions = {}): BencodeValue {
  const { value, length } = decodeBencodePrefix(bytes, options);
  if (length !== bytes.length) {
    throw new BencodeError(`invalid bencoding: trailing data after the value at byte ${length}`);
  }
  return value;
}

/**
 * Decodes the one bencoded value at the start of `bytes` and says how many bytes it took, for
 * messages where raw data follows a bencoded header (BEP 9 metadata pieces). Same strictness as
 * {@link decodeBencode} except that bytes after the value are left alone.
 * @example
 * ```ts
 * const { value, length } = decodeBencodePrefix(new TextEncoder().encode("i7eRAW"));
 * // value === 7, length === 3
 * ```
 */
export function decodeBencodePrefix(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): { value: BencodeValue; length: number } {
  const length = scanBencode(bytes, 0, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  return { value: bencode.decode(bytes.subarray(0, length)) as BencodeValue, length };
}
