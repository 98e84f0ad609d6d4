/**
 * `Range: bytes=…` (RFC 9110 §14) for one file: what a player asks for and what the server answers.
 * Pure; the server turns a {@linkcode RangeDecision} into 200, 206 or 416.
 *
 * Choices, all allowed by RFC 9110 §14.2 ("a server MAY ignore the Range header field"):
 * - a header that does not parse (unknown unit, junk, `last-pos < first-pos`) is ignored → 200;
 * - several ranges are ignored → 200 with the whole file. Media players never ask for more than
 *   one; browsers that do (PDF viewers) cope with 200, and it spares us multipart/byteranges;
 * - one range that cannot be satisfied (starts at or past the end, `-0`, any range of an empty
 *   file) → 416.
 * @module
 */

/** One parsed `range-spec`. */
export type RangeSpec =
  /** `first-last` or `first-` (no `last`). */
  | { readonly kind: "int"; readonly first: number; readonly last?: number }
  /** `-suffix`: the last `suffix` bytes. */
  | { readonly kind: "suffix"; readonly suffix: number };

/** What to send for a request on a file of known length. */
export type RangeDecision =
  /** The whole file, 200 (no Range, or a Range we ignore). */
  | { readonly kind: "full" }
  /** Bytes [start, end), 206. */
  | { readonly kind: "partial"; readonly start: number; readonly end: number }
  /** 416, with {@linkcode unsatisfiedRange} as Content-Range. */
  | { readonly kind: "unsatisfiable" };

const DIGITS = /^[0-9]+$/;

/**
 * Parses a `Range` value with the `bytes` unit into its range-specs, or `undefined` when it is not
 * a valid bytes ranges-specifier (then the header must be ignored). Empty list elements and
 * whitespace around them are allowed (RFC 9110 §5.6.1); the unit is case-insensitive.
 * @example
 * ```ts
 * parseRangeHeader("bytes=0-99, -10"); // [{ kind: "int", first: 0, last: 99 }, { kind: "suffix", suffix: 10 }]
 * parseRangeHeader("items=0-1"); // undefined
 * ```
 */
export function parseRangeHeader(value: string): RangeSpec[] | undefined {
  const match = /^[ \t]*bytes=(.*)$/is.exec(value);
  if (!match) return undefined;
  const specs: RangeSpec[] = [];
  for (const element of match[1].split(",")) {
    const item = element.trim();
    if (item === "") continue;
    const dash = item.indexOf("-");
    if (dash < 0) return undefined;
    const firstText = item.slice(0, dash);
    const lastText = item.slice(dash + 1);
    if (firstText === "") {
      if (!DIGITS.test(lastText)) return undefined;
      specs.push({ kind: "suffix", suffix: Number(lastText) });
      continue;
    }
    if (!DIGITS.test(firstText)) return undefined;
    const first = Number(firstText);
    if (lastText === "") {
      specs.push({ kind: "int", first });
      continue;
    }
    if (!DIGITS.test(lastText)) return undefined;
    const last = Number(lastText);
    if (last < first) return undefined;
    specs.push({ kind: "int", first, last });
  }
  return specs.length > 0 ? specs : undefined;
}

/**
 * Decides the answer to a request with Range header `value` (null when absent) on a file of
 * `length` bytes. See the module notes for what is ignored.
 * @example
 * ```ts
 * resolveRange("bytes=100-199", 1000); // { kind: "partial", start: 100, end: 200 }
 * resolveRange("bytes=-300", 1000); // { kind: "partial", start: 700, end: 1000 }
 * resolveRange("bytes=1000-", 1000); // { kind: "unsatisfiable" }
 * resolveRange(null, 1000); // { kind: "full" }
 * ```
 */
export function resolveRange(value: string | null, length: number): RangeDecision {
  if (value === null) return { kind: "full" };
  const specs = parseRangeHeader(value);
  if (specs === undefined || specs.length !== 1) return { kind: "full" };
  const spec = specs[0];
  if (spec.kind === "suffix") {
    if (spec.suffix === 0 || length === 0) return { kind: "unsatisfiable" };
    return { kind: "partial", start: Math.max(0, length - spec.suffix), end: length };
  }
  if (spec.first >= length) return { kind: "unsatisfiable" };
  const last = spec.last === undefined ? length - 1 : Math.min(spec.last, length - 1);
  return { kind: "partial", start: spec.first, end: last + 1 };
}

/**
 * The `Content-Range` value of a 206 carrying bytes [start, end) of a file of `length` bytes.
 * @example
 * ```ts
 * contentRange(1000, 100, 200); // "bytes 100-199/1000"
 * ```
 */
export function contentRange(length: number, start: number, end: number): string {
  return `bytes ${start}-${end - 1}/${length}`;
}

/**
 * The `Content-Range` value of a 416 (RFC 9110 §14.4): an asterisk, then the file's length.
 * @example
 * ```ts
 * unsatisfiedRange(1000); // "bytes " + "*" + "/1000"
 * ```
 */
export function unsatisfiedRange(length: number): string {
  return `bytes */${length}`;
}
