/**
 * A strict bencode scanner: it validates structure without building values, and finds the exact
 * bytes of a dict entry. npm:bencode is lenient (it accepts `i03e`, truncated strings, trailing
 * bytes, unbounded nesting), so every decode goes through this first.
 * @module
 */

import { BencodeError } from "./bencode_error.ts";
import { bencodeKeyString } from "./bencode_value.ts";

/** Nesting limit when none is given; libtorrent uses the same default. */
export const DEFAULT_MAX_DEPTH = 100;

/** A half-open byte range `[start, end)` of an input. */
export interface ByteSpan {
  readonly start: number;
  readonly end: number;
}

const CH_I = 0x69; // i
const CH_L = 0x6c; // l
const CH_D = 0x64; // d
const CH_E = 0x65; // e
const CH_COLON = 0x3a;
const CH_MINUS = 0x2d;
const CH_0 = 0x30;
const CH_9 = 0x39;

function fail(what: string, at: number): never {
  throw new BencodeError(`invalid bencoding: ${what} at byte ${at}`);
}

const isDigit = (c: number | undefined) => c !== undefined && c >= CH_0 && c <= CH_9;

/** Reads `<len>:` and returns the span of the string's bytes. */
function scanString(bytes: Uint8Array, pos: number): ByteSpan {
  const first = pos;
  if (!isDigit(bytes[pos])) fail("expected a string length", pos);
  if (bytes[pos] === CH_0 && isDigit(bytes[pos + 1])) fail("string length with leading zero", pos);
  let length = 0;
  while (isDigit(bytes[pos])) {
    length = length * 10 + (bytes[pos] - CH_0);
    // Checked per digit so a 400-digit length never becomes Infinity.
    if (length > bytes.length) fail("string longer than the input", first);
    pos++;
  }
  if (bytes[pos] !== CH_COLON) fail("expected ':' after string length", pos);
  const start = pos + 1;
  if (start + length > bytes.length) fail("string longer than the input", first);
  return { start, end: start + length };
}

function scanInteger(bytes: Uint8Array, pos: number): number {
  const first = pos;
  pos++; // 'i'
  const negative = bytes[pos] === CH_MINUS;
  if (negative) pos++;
  const digitsStart = pos;
  while (isDigit(bytes[pos])) pos++;
  const digits = pos - digitsStart;
  if (digits === 0) fail("integer without digits", first);
  if (bytes[pos] !== CH_E) fail("expected 'e' after integer", pos);
  if (bytes[digitsStart] === CH_0 && (digits > 1 || negative)) {
    fail("integer with leading zero or -0", first);
  }
  // Above 2^53 a JS number silently loses digits; no legitimate field needs that range.
  if (digits > 16) fail("integer out of the safe range", first);
  let value = 0;
  for (let i = digitsStart; i < pos; i++) value = value * 10 + (bytes[i] - CH_0);
  if (value > Number.MAX_SAFE_INTEGER) fail("integer out of the safe range", first);
  return pos + 1;
}

function scanAt(bytes: Uint8Array, pos: number, depth: number, maxDepth: number): number {
  const c = bytes[pos];
  if (c === undefined) fail("unexpected end of input", pos);
  if (c === CH_I) return scanInteger(bytes, pos);
  if (isDigit(c)) return scanString(bytes, pos).end;
  if (c !== CH_L && c !== CH_D) fail(`unexpected byte 0x${c.toString(16).padStart(2, "0")}`, pos);
  if (depth >= maxDepth) fail(`nesting deeper than ${maxDepth}`, pos);
  const keys = c === CH_D ? new Set<string>() : undefined;
  pos++;
  for (;;) {
    const next = bytes[pos];
    if (next === undefined) fail(keys ? "unterminated dict" : "unterminated list", pos);
    if (next === CH_E) return pos + 1;
    if (keys) {
      if (!isDigit(next)) fail("dict key is not a string", pos);
      const key = scanString(bytes, pos);
      // Keys are compared as npm:bencode will store them, so two keys never fold into one.
      const name = bencodeKeyString(bytes.subarray(key.start, key.end));
      if (keys.has(name)) fail(`duplicate dict key "${name}"`, pos);
      // npm:bencode assigns into a plain object, where this key would replace the prototype.
      if (name === "__proto__") fail('dict key "__proto__"', pos);
      keys.add(name);
      pos = key.end;
    }
    pos = scanAt(bytes, pos, depth + 1, maxDepth);
  }
}

/**
 * Validates one bencoded value starting at `start` and returns the offset just past it.
 * Strict: canonical integers within ±2^53, string lengths inside the input, string dict keys
 * without duplicates, nesting at most `maxDepth`. Dict key order is not enforced, because real
 * torrents with unsorted keys exist and must still hash as written. Throws {@link BencodeError}.
 * @example
 * ```ts
 * scanBencode(new TextEncoder().encode("li1ee!")); // 5
 * ```
 */
export function scanBencode(bytes: Uint8Array, start = 0, maxDepth = DEFAULT_MAX_DEPTH): number {
  return scanAt(bytes, start, 0, maxDepth);
}

/**
 * The exact byte range of the value stored under `key` in the dict that makes up all of
 * `bytes`, or undefined when the key is absent. The whole input is validated as by
 * {@link scanBencode} and must be one dict with nothing after it. The info-hash is the SHA-1 of
 * `bytes.subarray(span.start, span.end)` for key `info`, never of a re-encoding.
 * @example
 * ```ts
 * const bytes = new TextEncoder().encode("d4:infod1:ai1eee");
 * findDictValueSpan(bytes, "info"); // { start: 7, end: 15 }
 * ```
 */
export function findDictValueSpan(
  bytes: Uint8Array,
  key: string,
  maxDepth = DEFAULT_MAX_DEPTH,
): ByteSpan | undefined {
  const end = scanBencode(bytes, 0, maxDepth);
  if (bytes[0] !== CH_D) fail("expected a dict", 0);
  if (end !== bytes.length) fail("trailing data after the value", end);
  let pos = 1;
  while (bytes[pos] !== CH_E) {
    const k = scanString(bytes, pos);
    const valueEnd = scanAt(bytes, k.end, 1, maxDepth);
    if (bencodeKeyString(bytes.subarray(k.start, k.end)) === key) {
      return { start: k.end, end: valueEnd };
    }
    pos = valueEnd;
  }
  return undefined;
}

/**
 * The raw bytes range of a torrent file's top-level `info` value (see {@link findDictValueSpan}).
 * @example
 * ```ts
 * const span = rawInfoSpan(torrentBytes);
 * const infoBytes = span && torrentBytes.subarray(span.start, span.end);
 * ```
 */
export function rawInfoSpan(bytes: Uint8Array, maxDepth = DEFAULT_MAX_DEPTH): ByteSpan | undefined {
  return findDictValueSpan(bytes, "info", maxDepth);
}
