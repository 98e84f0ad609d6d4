/**
 * The BEP 10 extended handshake: the bencoded dict sent as extended message 0, which tells the
 * other side which extensions we speak (and under which ids to send them to us), plus a few
 * facts about us (client name, listen port, request queue depth, metadata size, their address).
 * @module
 */

import { BencodeError } from "../bencode/bencode_error.ts";
import { type BencodeDict, dictGet, isBencodeDict } from "../bencode/bencode_value.ts";
import { decodeBencodePrefix } from "../bencode/decode_bencode.ts";
import { type BencodeInput, encodeBencode } from "../bencode/encode_bencode.ts";
import { formatIpv6, parseIpv4, parseIpv6 } from "../tracker/compact_peers.ts";
import { ExtensionError } from "./extension_error.ts";

/** A decoded (or to-be-sent) extended handshake. Every field but `m` is optional. */
export interface ExtendedHandshake {
  /**
   * Extension name → the id the sender wants to *receive* that extension's messages under,
   * 1..255. 0 means "disabled", which matters in a later handshake that updates an earlier one
   * (see {@link mergeExtendedHandshake}).
   */
  readonly m: Readonly<Record<string, number>>;
  /** `v`: client name and version, for display (control characters removed, at most 256). */
  readonly v?: string;
  /** `p`: the sender's TCP listen port, 1..65535. */
  readonly p?: number;
  /** `reqq`: how many outstanding block requests the sender queues without dropping any. */
  readonly reqq?: number;
  /** `metadata_size` (BEP 9): byte length of the info dict; may be absurd, the caller bounds it. */
  readonly metadataSize?: number;
  /** `yourip`: the receiver's address as the sender sees it (IPv4 or IPv6 text). */
  readonly yourIp?: string;
  /** `ipv4`: an IPv4 address the sender can also be reached on. */
  readonly ipv4?: string;
  /** `ipv6`: an IPv6 address the sender can also be reached on. */
  readonly ipv6?: string;
  /** `e`: the sender prefers encrypted connections (PEX flag 0x01). */
  readonly prefersEncryption?: boolean;
  /** BEP 21 `upload_only`: the sender is a seed or partial seed (PEX flag 0x02). */
  readonly uploadOnly?: boolean;
}

/** Longest `v` kept; the UI shows it in a column. */
const MAX_CLIENT_NAME = 256;
const lossy = new TextDecoder();

function intIn(value: unknown, min: number, max: number): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
    ? value
    : undefined;
}

function flag(value: unknown): boolean | undefined {
  return typeof value === "number" ? value !== 0 : undefined;
}

function clientName(value: unknown): string | undefined {
  if (!(value instanceof Uint8Array)) return undefined;
  // deno-lint-ignore no-control-regex -- control characters are exactly what must go
  const text = lossy.decode(value).replace(/[\x00-\x1f\x7f]+/g, " ").trim();
  return [...text].slice(0, MAX_CLIENT_NAME).join("");
}

function address(value: unknown, lengths: readonly number[]): string | undefined {
  if (!(value instanceof Uint8Array) || !lengths.includes(value.length)) return undefined;
  return value.length === 4 ? value.join(".") : formatIpv6(value);
}

function extensionMap(value: unknown): Record<string, number> {
  const m: Record<string, number> = {};
  if (!isBencodeDict(value)) return m;
  for (const name of Object.keys(value)) {
    const id = intIn(dictGet(value, name), 0, 255);
    if (id !== undefined) m[name] = id;
  }
  return m;
}

/**
 * Decodes an extended handshake payload (the bytes after the extended id 0). Tolerant, as BEP 10
 * asks: unknown keys are ignored, and so are known keys of the wrong type or out of range (an
 * `m` entry that is not an integer 0..255, a port outside 1..65535, `yourip` that is neither 4
 * nor 16 bytes...); bytes after the dict are ignored. Throws {@link ExtensionError} only when
 * the payload does not start with a well-formed bencoded dict.
 * @example
 * ```ts
 * const h = decodeExtendedHandshake(new TextEncoder().encode("d1:md11:ut_metadatai3ee1:pi6881ee"));
 * h.m.ut_metadata; // 3
 * h.p; // 6881
 * ```
 */
export function decodeExtendedHandshake(payload: Uint8Array): ExtendedHandshake {
  let dict: BencodeDict;
  try {
    const { value } = decodeBencodePrefix(payload);
    if (!isBencodeDict(value)) throw new ExtensionError("extended handshake is not a dict");
    dict = value;
  } catch (e) {
    if (e instanceof BencodeError) throw new ExtensionError(`extended handshake: ${e.message}`);
    throw e;
  }
  const get = (key: string) => dictGet(dict, key);
  const fields: { -readonly [K in keyof ExtendedHandshake]: ExtendedHandshake[K] } = {
    m: extensionMap(get("m")),
    v: clientName(get("v")),
    p: intIn(get("p"), 1, 65535),
    reqq: intIn(get("reqq"), 1, Number.MAX_SAFE_INTEGER),
    metadataSize: intIn(get("metadata_size"), 1, Number.MAX_SAFE_INTEGER),
    yourIp: address(get("yourip"), [4, 16]),
    ipv4: address(get("ipv4"), [4]),
    ipv6: address(get("ipv6"), [16]),
    prefersEncryption: flag(get("e")),
    uploadOnly: flag(get("upload_only")),
  };
  for (const key of Object.keys(fields) as (keyof ExtendedHandshake)[]) {
    if (fields[key] === undefined) delete fields[key];
  }
  return fields;
}

function compactAddress(host: string, family: "any" | 4 | 6, field: string): Uint8Array {
  const bytes = (family !== 6 ? parseIpv4(host) : undefined) ??
    (family !== 4 ? parseIpv6(host) : undefined);
  if (!bytes) {
    throw new ExtensionError(`${field} is not an IP address of the right family: ${host}`);
  }
  return bytes;
}

function checkedInt(value: number | undefined, min: number, max: number, field: string) {
  if (value !== undefined && intIn(value, min, max) === undefined) {
    throw new ExtensionError(`${field} must be an integer in ${min}..${max}, got ${value}`);
  }
  return value;
}

/**
 * Encodes an extended handshake as the payload of extended message 0 (keys in byte order, as
 * bencode requires). Throws {@link ExtensionError} for values that cannot be sent: an `m` id
 * outside 0..255, a port outside 1..65535, a non-positive `reqq` or `metadataSize`, an address
 * that is not an IP literal of the field's family.
 * @example
 * ```ts
 * const bytes = encodeExtendedHandshake({ m: { ut_metadata: 1 }, p: 6881 });
 * new TextDecoder().decode(bytes); // "d1:md11:ut_metadatai1ee1:pi6881ee"
 * ```
 */
export function encodeExtendedHandshake(h: ExtendedHandshake): Uint8Array {
  const m: Record<string, number> = {};
  for (const [name, id] of Object.entries(h.m)) m[name] = checkedInt(id, 0, 255, `m.${name}`)!;
  const dict: Record<string, BencodeInput | undefined> = {
    m,
    v: h.v,
    p: checkedInt(h.p, 1, 65535, "p"),
    reqq: checkedInt(h.reqq, 1, Number.MAX_SAFE_INTEGER, "reqq"),
    metadata_size: checkedInt(h.metadataSize, 1, Number.MAX_SAFE_INTEGER, "metadataSize"),
    yourip: h.yourIp === undefined ? undefined : compactAddress(h.yourIp, "any", "yourIp"),
    ipv4: h.ipv4 === undefined ? undefined : compactAddress(h.ipv4, 4, "ipv4"),
    ipv6: h.ipv6 === undefined ? undefined : compactAddress(h.ipv6, 6, "ipv6"),
    e: h.prefersEncryption === undefined ? undefined : Number(h.prefersEncryption),
    upload_only: h.uploadOnly === undefined ? undefined : Number(h.uploadOnly),
  };
  try {
    return encodeBencode(dict);
  } catch (e) {
    if (e instanceof BencodeError) throw new ExtensionError(`extended handshake: ${e.message}`);
    throw e;
  }
}

/**
 * The id to send extension `name` to this peer under, or undefined when the peer does not
 * speak it (absent, or disabled with 0). Looks only at `m`'s own keys, never inherited ones.
 * @example
 * ```ts
 * const h = decodeExtendedHandshake(payload);
 * const id = peerExtensionId(h, "ut_metadata");
 * if (id !== undefined) send({ type: "extended", id, payload: encodeMetadataMessage(msg) });
 * ```
 */
export function peerExtensionId(h: ExtendedHandshake, name: string): number | undefined {
  const id = Object.hasOwn(h.m, name) ? h.m[name] : 0;
  return id > 0 ? id : undefined;
}

/**
 * Applies a later handshake from the same peer to the one in force (BEP 10: a handshake may be
 * re-sent; its `m` is additive, 0 disabling an extension). Other fields present in `update`
 * replace the old ones; absent ones are kept. Disabled extensions are dropped from `m`.
 * @example
 * ```ts
 * const now = mergeExtendedHandshake({ m: { ut_pex: 2, ut_metadata: 3 } }, { m: { ut_pex: 0 } });
 * now.m; // { ut_metadata: 3 }
 * ```
 */
export function mergeExtendedHandshake(
  previous: ExtendedHandshake,
  update: ExtendedHandshake,
): ExtendedHandshake {
  const m: Record<string, number> = {};
  for (const [name, id] of [...Object.entries(previous.m), ...Object.entries(update.m)]) {
    if (id > 0) m[name] = id;
    else delete m[name];
  }
  return { ...previous, ...update, m };
}
