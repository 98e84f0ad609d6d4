/**
 * Bencode encoding through npm:bencode, refusing values it would silently mangle.
 * @module
 */

import bencode from "bencode";
import { BencodeError } from "./bencode_error.ts";
import { DEFAULT_MAX_DEPTH } from "./scan_bencode.ts";

/**
 * What {@link encodeBencode} accepts: safe integers, byte strings, text (written as UTF-8),
 * lists and dicts. A dict entry whose value is `undefined` is left out, so optional fields can be
 * written as `{ comment: options.comment }`.
 */
export type BencodeInput =
  | number
  | string
  | Uint8Array
  | readonly BencodeInput[]
  | { readonly [key: string]: BencodeInput | undefined };

/** Code-point order, which is the byte order of the keys' UTF-8 that bencode requires. */
function codePointLess(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d < 0;
  }
  return x.length < y.length;
}

function check(value: unknown, depth: number, where: string): void {
  if (depth > DEFAULT_MAX_DEPTH) throw new BencodeError(`value nested too deeply at ${where}`);
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new BencodeError(`bencode holds only safe integers, got ${value} at ${where}`);
    }
  } else if (typeof value === "string") {
    if (!value.isWellFormed()) throw new BencodeError(`lone surrogate in text at ${where}`);
  } else if (value instanceof Uint8Array) {
    return;
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => check(item, depth + 1, `${where}[${i}]`));
  } else if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value).filter((k) =>
      (value as Record<string, unknown>)[k] !== undefined
    );
    // npm:bencode sorts keys by UTF-16 units, which differs from byte order only for rare
    // mixes of astral and U+E000..U+FFFF characters; refuse those rather than write them wrong.
    const sorted = [...keys].sort();
    for (let i = 1; i < sorted.length; i++) {
      if (!codePointLess(sorted[i - 1], sorted[i])) {
        throw new BencodeError(`dict keys at ${where} cannot be written in byte order`);
      }
    }
    for (const k of keys) {
      if (!k.isWellFormed()) throw new BencodeError(`lone surrogate in a dict key at ${where}`);
      check((value as Record<string, unknown>)[k], depth + 1, `${where}.${k}`);
    }
  } else {
    throw new BencodeError(
      `cannot bencode a ${value === null ? "null" : typeof value} at ${where}`,
    );
  }
}

/**
 * Encodes a value as bencode with dict keys in byte order. Throws {@link BencodeError} for
 * anything bencode cannot hold exactly: fractions, integers beyond ±2^53, `null`, booleans,
 * `undefined` outside a dict, text with lone surrogates.
 * @example
 * ```ts
 * new TextDecoder().decode(encodeBencode({ b: 1, a: "x" })); // "d1:a1:x1:bi1ee"
 * ```
 */
export function encodeBencode(value: BencodeInput): Uint8Array {
  check(value, 0, "root");
  return bencode.encode(value) as Uint8Array;
}
