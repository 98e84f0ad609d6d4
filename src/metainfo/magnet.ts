/**
 * Magnet links (BEP 9): reading `xt=urn:btih:`, `dn`, `tr`, `x.pe`, `xl` and BEP 53 `so`, and
 * writing one for a torrent.
 * @module
 */

import { fromHex, toHex } from "../util/bytes.ts";
import type { Metainfo } from "./types.ts";

/**
 * A magnet link we refuse; the message is one line.
 * @example
 * ```ts
 * try {
 *   parseMagnet(text);
 * } catch (e) {
 *   if (e instanceof MagnetError) console.error(e.message);
 * }
 * ```
 */
export class MagnetError extends Error {
  override name = "MagnetError";
}

/** A peer to try first (`x.pe`): a host name or IP literal (IPv6 without brackets) and a port. */
export interface MagnetPeer {
  readonly host: string;
  readonly port: number;
}

/** What a magnet link says. */
export interface MagnetLink {
  /** The v1 info-hash, 20 bytes. */
  readonly infoHash: Uint8Array;
  /** `infoHash` as lower-case hex. */
  readonly infoHashHex: string;
  /** `dn`: a name to show until the metadata arrives. */
  readonly displayName?: string;
  /** `tr`: announce URLs, in the order given, without repeats. */
  readonly trackers: readonly string[];
  /** `x.pe`: peers to connect to directly. */
  readonly peers: readonly MagnetPeer[];
  /** `xl`: the total size in bytes. */
  readonly exactLength?: number;
  /** BEP 53 `so`: indices of the files to download, ascending, without repeats. */
  readonly selectOnly?: readonly number[];
}

/** A `so` list can name at most this many files, so "0-999999999" cannot exhaust memory. */
const MAX_SELECTED = 1 << 20;
const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32ToBytes(text: string): Uint8Array {
  const out = new Uint8Array(20);
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const c of text.toUpperCase()) {
    value = (value << 5) | BASE32.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out;
}

function infoHashOf(xt: string): Uint8Array {
  const hash = xt.slice("urn:btih:".length);
  if (/^[0-9a-f]{40}$/i.test(hash)) return fromHex(hash);
  if (/^[a-z2-7]{32}$/i.test(hash)) return base32ToBytes(hash);
  throw new MagnetError(`bad info-hash in xt: ${JSON.stringify(hash)} (want 40 hex or 32 base32)`);
}

function peerOf(text: string): MagnetPeer {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : 0;
  if (!match || port < 1 || port > 65535) {
    throw new MagnetError(`bad peer address in x.pe: ${JSON.stringify(text)} (want host:port)`);
  }
  return { host: match[1] ?? match[2], port };
}

function selectionOf(text: string): number[] {
  const selected = new Set<number>();
  for (const part of text.split(",")) {
    const match = /^(\d{1,9})(?:-(\d{1,9}))?$/.exec(part.trim());
    const first = match ? Number(match[1]) : NaN;
    const last = match?.[2] !== undefined ? Number(match[2]) : first;
    if (!match || last < first) {
      throw new MagnetError(`bad file selection in so: ${JSON.stringify(text)}`);
    }
    if (selected.size + (last - first) >= MAX_SELECTED) {
      throw new MagnetError(`file selection in so names too many files: ${JSON.stringify(text)}`);
    }
    for (let i = first; i <= last; i++) selected.add(i);
  }
  return [...selected].sort((a, b) => a - b);
}

function decodeValue(key: string, raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll("+", " "));
  } catch {
    throw new MagnetError(`bad percent-encoding in ${key}: ${JSON.stringify(raw)}`);
  }
}

/**
 * Parses a magnet link. Needs one `xt=urn:btih:` with a 40-hex or 32-base32 info-hash; `tr`,
 * `x.pe` may repeat (also as `tr.1`, `tr.2`...). Values are percent-decoded with `+` as space.
 * Unknown parameters are ignored; malformed known ones throw {@link MagnetError}, as do v2-only
 * (`urn:btmh:` alone) links.
 * @example
 * ```ts
 * const m = parseMagnet("magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=x");
 * m.infoHashHex; // "c12fe1c06bba254a9dc9f519b335aa7c1367a88a"
 * ```
 */
export function parseMagnet(uri: string): MagnetLink {
  const text = uri.trim();
  if (!/^magnet:\?/i.test(text)) {
    throw new MagnetError("not a magnet link (must start with magnet:?)");
  }
  let infoHash: Uint8Array | undefined;
  let v2Only = false;
  let displayName: string | undefined;
  let exactLength: number | undefined;
  let selectOnly: number[] | undefined;
  const trackers: string[] = [];
  const peers: MagnetPeer[] = [];
  for (const param of text.slice("magnet:?".length).split("&")) {
    const eq = param.indexOf("=");
    if (eq < 0) continue;
    const key = param.slice(0, eq).toLowerCase().replace(/\.\d+$/, "");
    const value = decodeValue(key, param.slice(eq + 1));
    if (key === "xt") {
      if (/^urn:btmh:/i.test(value)) v2Only = true;
      if (!/^urn:btih:/i.test(value)) continue;
      const hash = infoHashOf(value);
      if (infoHash && toHex(infoHash) !== toHex(hash)) {
        throw new MagnetError("two different btih info-hashes");
      }
      infoHash = hash;
    } else if (key === "dn") {
      displayName ??= value;
    } else if (key === "tr") {
      const url = value.trim();
      if (url && !trackers.includes(url)) trackers.push(url);
    } else if (key === "x.pe") {
      peers.push(peerOf(value));
    } else if (key === "xl") {
      if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value))) {
        throw new MagnetError(`bad length in xl: ${JSON.stringify(value)}`);
      }
      exactLength = Number(value);
    } else if (key === "so") {
      selectOnly = selectionOf(value);
    }
  }
  if (!infoHash) {
    throw new MagnetError(
      v2Only
        ? "v2-only magnet link (urn:btmh) is not supported"
        : "magnet link has no xt=urn:btih: info-hash",
    );
  }
  return {
    infoHash,
    infoHashHex: toHex(infoHash),
    displayName,
    trackers,
    peers,
    exactLength,
    selectOnly,
  };
}

/**
 * A magnet link for a torrent: info-hash, `dn` (name), `xl` (total size) and every tracker of
 * every tier as `tr`, all percent-encoded.
 * @example
 * ```ts
 * toMagnet(await parseMetainfo(bytes));
 * // "magnet:?xt=urn:btih:...&dn=album&xl=1650000&tr=udp%3A%2F%2Ftracker.example%3A1337"
 * ```
 */
export function toMagnet(
  m: Pick<Metainfo, "infoHashHex" | "name" | "totalLength" | "announceTiers">,
): string {
  // toWellFormed: encodeURIComponent throws on a lone surrogate.
  const encode = (text: string) => encodeURIComponent(text.toWellFormed());
  const params = [`xt=urn:btih:${m.infoHashHex}`, `dn=${encode(m.name)}`, `xl=${m.totalLength}`];
  for (const url of m.announceTiers.flat()) params.push(`tr=${encode(url)}`);
  return `magnet:?${params.join("&")}`;
}
