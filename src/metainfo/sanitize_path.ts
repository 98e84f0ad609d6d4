/**
 * Turns the path elements of an untrusted .torrent into paths that always stay inside the
 * download folder, following libtorrent's rules (`sanitize_append_path_element` and
 * `resolve_duplicate_filenames`) so the same torrent lands at the same paths in both clients.
 * @module
 */

/** Platform rules to apply on top of the portable ones. */
export interface SanitizeOptions {
  /**
   * Also apply Windows rules: `<>:"|?*` become `_` (so `C:` can never name a drive), trailing
   * dots and spaces are dropped, and device names such as `CON` or `nul.txt` get a `_` prefix.
   * Defaults to true when running on Windows.
   */
  readonly windows?: boolean;
}

/** libtorrent caps each element at 240 bytes (leaving room for `.N` renames under 255). */
const MAX_ELEMENT_BYTES = 240;
/** A kept extension is at most this many characters, dot included. */
const MAX_EXTENSION_CHARS = 10;

/** Bidirectional-override marks, used to disguise `exe` as `avi`: dropped like separators. */
const BIDI_MARKS = new Set([0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x200e, 0x200f]);
const WINDOWS_INVALID = new Set([...'<>:"|?*'].map((c) => c.codePointAt(0)!));
const WINDOWS_RESERVED = new Set([
  "con",
  "prn",
  "aux",
  "clock$",
  "nul",
  ...Array.from({ length: 10 }, (_, i) => `com${i}`),
  ...Array.from({ length: 10 }, (_, i) => `lpt${i}`),
]);

const utf8Length = (cp: number) => cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
/** Marks an invalid UTF-8 sequence in a code point list. */
const INVALID = -1;

/** Length of the UTF-8 sequence a lead byte announces; 0 for a byte that cannot lead one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >> 5 === 0b110) return 2;
  if (lead >> 4 === 0b1110) return 3;
  if (lead >> 3 === 0b11110) return 4;
  if (lead >> 2 === 0b111110) return 5;
  return 0;
}

/**
 * Code points of an element's bytes. Bytes that are not UTF-8 are not guessed at (Latin-1?
 * Shift-JIS?): each invalid sequence becomes one {@link INVALID}, written as `_`, consuming the
 * bytes its lead byte announces, exactly as libtorrent's `parse_utf8_codepoint` does.
 */
function codePointsOf(raw: Uint8Array | string): number[] {
  if (typeof raw === "string") {
    return Array.from(raw, (c) => {
      const cp = c.codePointAt(0)!;
      return cp >= 0xd800 && cp <= 0xdfff ? INVALID : cp;
    });
  }
  const out: number[] = [];
  for (let i = 0; i < raw.length;) {
    const length = sequenceLength(raw[i]);
    if (length === 0 || length > 4 || i + length > raw.length) {
      out.push(INVALID);
      i += length === 0 ? 1 : Math.min(length, raw.length - i);
      continue;
    }
    let cp = length === 1 ? raw[i] : raw[i] & (0xff >> (length + 1));
    let valid = true;
    for (let k = 1; k < length; k++) {
      const b = raw[i + k];
      if ((b & 0xc0) !== 0x80) valid = false;
      cp = (cp << 6) | (b & 0x3f);
    }
    const overlong = length > 1 && cp < [0, 0, 0x80, 0x800, 0x10000][length];
    if (!valid || overlong || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = INVALID;
    out.push(cp);
    i += length;
  }
  return out;
}

const isWindows = () => Deno.build.os === "windows";

/**
 * Sanitizes one path element. Returns `""` when the element must be dropped (`.`, `..`, or
 * nothing left after removing separators), `"_"` for an empty element. `/`, `\` and bidi marks
 * are removed, control characters become `_`, over-long elements are cut to 240 bytes keeping a
 * short extension. The result never contains a separator or NUL and is never `.` or `..`.
 * @example
 * ```ts
 * sanitizePathComponent("foo/../bar"); // "foo..bar"
 * sanitizePathComponent(".."); // "" (dropped)
 * sanitizePathComponent("C:", { windows: true }); // "C_"
 * ```
 */
export function sanitizePathComponent(
  raw: Uint8Array | string,
  options: SanitizeOptions = {},
): string {
  const windows = options.windows ?? isWindows();
  const codePoints = codePointsOf(raw);
  if (codePoints.length === 0) return "_";
  if (codePoints.length === 1 && codePoints[0] === 0x2e) return "";
  let out = "";
  let bytes = 0;
  let dots = 0;
  let foundExtension = false;
  for (let i = 0; i < codePoints.length; i++) {
    const cp = codePoints[i];
    if (cp === 0x2f || cp === 0x5c || BIDI_MARKS.has(cp)) continue;
    if (cp === INVALID || cp < 0x20 || (windows && WINDOWS_INVALID.has(cp))) {
      out += "_";
      bytes++;
    } else {
      out += String.fromCodePoint(cp);
      bytes += utf8Length(cp);
      if (cp === 0x2e) dots++;
    }
    if (bytes >= MAX_ELEMENT_BYTES && !foundExtension) {
      const from = Math.max(codePoints.length - MAX_EXTENSION_CHARS, i);
      const dot = codePoints.lastIndexOf(0x2e);
      if (dot <= from) break;
      foundExtension = true;
      i = dot - 1;
    }
  }
  if (bytes === dots && bytes <= 2) return "";
  if (windows) return windowsSafe(out);
  return out;
}

function windowsSafe(name: string): string {
  const trimmed = name.replace(/[ .]+$/, "");
  if (trimmed === "") return "";
  const dot = trimmed.lastIndexOf(".");
  const stem = (dot > 0 ? trimmed.slice(0, dot) : trimmed).toLowerCase();
  return WINDOWS_RESERVED.has(stem) ? `_${trimmed}` : trimmed;
}

/**
 * Sanitizes the elements of one file path (below the torrent's folder). Dropped elements vanish;
 * when nothing is left the path is `["_"]`, so a file never lands on its parent folder.
 * @example
 * ```ts
 * sanitizePath(["..", "..", "etc", "passwd"]); // ["etc", "passwd"]
 * sanitizePath(["."]); // ["_"]
 * ```
 */
export function sanitizePath(
  raw: readonly (Uint8Array | string)[],
  options: SanitizeOptions = {},
): string[] {
  const out = raw.map((e) => sanitizePathComponent(e, options)).filter((e) => e !== "");
  return out.length > 0 ? out : ["_"];
}

/**
 * True when a path, joined below a folder, can only name something inside that folder: at least
 * one element, none empty, `.` or `..`, none holding `/`, `\` or NUL (nor `:` with Windows rules).
 * @example
 * ```ts
 * isSafeRelativePath(["a", "b.txt"]); // true
 * isSafeRelativePath(["..", "b.txt"]); // false
 * ```
 */
export function isSafeRelativePath(
  path: readonly string[],
  options: SanitizeOptions = {},
): boolean {
  const windows = options.windows ?? isWindows();
  return path.length > 0 &&
    path.every((e) =>
      e !== "" && e !== "." && e !== ".." && !/[/\\\0]/.test(e) && !(windows && e.includes(":"))
    );
}

/** One file as {@link dedupePaths} sees it. */
export interface PathEntry {
  readonly path: readonly string[];
  readonly length: number;
  readonly pad: boolean;
}

/** libtorrent's `extension()`: from the last dot of the last element, or "". */
function splitExtension(joined: string): [string, string] {
  const slash = joined.lastIndexOf("/");
  const dot = joined.lastIndexOf(".");
  return dot > slash ? [joined.slice(0, dot), joined.slice(dot)] : [joined, ""];
}

/**
 * Renames files whose path repeats an earlier file's or a folder's path, ignoring case (two
 * such files would overwrite each other on Windows and macOS): `foo/bar.txt` twice becomes
 * `foo/bar.txt` and `foo/bar.1.txt`. Pad files of equal size may share a path; they are never
 * written. Returns the paths in input order. Same results as libtorrent.
 * @example
 * ```ts
 * dedupePaths([
 *   { path: ["t", "a.txt"], length: 1, pad: false },
 *   { path: ["t", "A.txt"], length: 1, pad: false },
 * ]); // [["t", "a.txt"], ["t", "A.1.txt"]]
 * ```
 */
export function dedupePaths(files: readonly PathEntry[]): string[][] {
  // Lower-cased path -> index of the file holding it, or -1 for a folder.
  const taken = new Map<string, number>();
  for (const { path } of files) {
    for (let n = 1; n < path.length; n++) taken.set(path.slice(0, n).join("/").toLowerCase(), -1);
  }
  // Next number to try per colliding base name: names below it are all taken already, so
  // resuming there gives libtorrent's result without its quadratic rescans.
  const counters = new Map<string, number>();
  return files.map((file, i) => {
    const joined = file.path.join("/");
    const key = joined.toLowerCase();
    const holder = taken.get(key);
    if (holder === undefined) {
      taken.set(key, i);
      return [...file.path];
    }
    const other = holder >= 0 ? files[holder] : undefined;
    if (other && file.pad && other.pad && file.length === other.length) return [...file.path];
    const [base, ext] = splitExtension(joined);
    const counterKey = `${base}\0${ext}`.toLowerCase();
    let n = counters.get(counterKey) ?? 1;
    let candidate = `${base}.${n}${ext}`;
    while (taken.has(candidate.toLowerCase())) candidate = `${base}.${++n}${ext}`;
    counters.set(counterKey, n + 1);
    taken.set(candidate.toLowerCase(), i);
    return candidate.split("/");
  });
}
