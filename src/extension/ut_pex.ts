/**
 * BEP 11 peer exchange (`ut_pex`): the message codec, and {@link PexState}, which turns the set
 * of peers we are connected to into the added/dropped updates one remote peer should get.
 * @module
 */

import { BencodeError } from "../bencode/bencode_error.ts";
import { type BencodeDict, dictGet, isBencodeDict } from "../bencode/bencode_value.ts";
import { decodeBencodePrefix } from "../bencode/decode_bencode.ts";
import { type BencodeInput, encodeBencode } from "../bencode/encode_bencode.ts";
import {
  decodeCompactPeers,
  encodeCompactPeers,
  parseIpv4,
  parseIpv6,
} from "../tracker/compact_peers.ts";
import type { PeerAddress } from "../tracker/types.ts";
import { toHex } from "../util/bytes.ts";
import { ExtensionError } from "./extension_error.ts";

/** What BEP 11's per-peer flag byte says about a peer. */
export interface PexFlags {
  /** 0x01: prefers encryption (its extended handshake had `e`). */
  readonly prefersEncryption: boolean;
  /** 0x02: a seed or upload-only peer. */
  readonly seed: boolean;
  /** 0x04: speaks uTP. */
  readonly utp: boolean;
  /** 0x08: advertised `ut_holepunch`. */
  readonly holepunch: boolean;
  /** 0x10: we connected to it, so it accepts incoming connections. */
  readonly outgoing: boolean;
}

/** A peer in an `added` list: an IP literal (IPv6 without brackets), a port, its flags. */
export interface PexPeer {
  readonly host: string;
  readonly port: number;
  readonly flags: PexFlags;
}

/** One `ut_pex` message; IPv4 and IPv6 peers together (the codec splits them by family). */
export interface PexMessage {
  readonly added: readonly PexPeer[];
  readonly dropped: readonly PeerAddress[];
}

/** Flags with every bit clear. */
export const NO_PEX_FLAGS: PexFlags = {
  prefersEncryption: false,
  seed: false,
  utp: false,
  holepunch: false,
  outgoing: false,
};

/** BEP 11: no more than 50 added, and 50 dropped, contacts per message. */
export const MAX_PEX_PEERS_PER_MESSAGE = 50;

/**
 * Decoding keeps at most this many added (and this many dropped) peers of a message; the rest
 * are ignored. Generous, since some clients put more than 50 in their first message.
 */
export const MAX_PEX_PEERS_DECODED = 200;

/** BEP 11: at most one message per minute to each peer. */
export const PEX_INTERVAL_MS = 60_000;

function flagsFromByte(byte: number): PexFlags {
  return {
    prefersEncryption: (byte & 0x01) !== 0,
    seed: (byte & 0x02) !== 0,
    utp: (byte & 0x04) !== 0,
    holepunch: (byte & 0x08) !== 0,
    outgoing: (byte & 0x10) !== 0,
  };
}

function flagsToByte(flags: PexFlags): number {
  return (flags.prefersEncryption ? 0x01 : 0) | (flags.seed ? 0x02 : 0) | (flags.utp ? 0x04 : 0) |
    (flags.holepunch ? 0x08 : 0) | (flags.outgoing ? 0x10 : 0);
}

/** The compact bytes of an IP literal, or undefined for a host name. */
function ipBytes(host: string): Uint8Array | undefined {
  return parseIpv4(host) ?? parseIpv6(host);
}

function isPort(port: number): boolean {
  return Number.isInteger(port) && port > 0 && port <= 65535;
}

/** One identity per address however it is written (`::1` and `0:0::1` are the same peer). */
function peerKey(bytes: Uint8Array, port: number): string {
  return `${toHex(bytes)}:${port}`;
}

/**
 * Encodes a `ut_pex` message as an extended message payload. Only non-empty fields are written;
 * `added.f` / `added6.f` always accompany their lists. Throws {@link ExtensionError} for a host
 * that is not an IP literal, more than {@link MAX_PEX_PEERS_PER_MESSAGE} added or dropped peers,
 * or a message with no peer at all (BEP 11 forbids empty messages).
 * @example
 * ```ts
 * const payload = encodePexMessage({
 *   added: [{ host: "10.0.0.2", port: 6881, flags: { ...NO_PEX_FLAGS, seed: true } }],
 *   dropped: [],
 * });
 * // "d5:added6:\x0a\x00\x00\x02\x1a\xe17:added.f1:\x02e"
 * ```
 */
export function encodePexMessage(message: PexMessage): Uint8Array {
  const { added, dropped } = message;
  if (added.length > MAX_PEX_PEERS_PER_MESSAGE || dropped.length > MAX_PEX_PEERS_PER_MESSAGE) {
    throw new ExtensionError(
      `ut_pex message with ${added.length} added and ${dropped.length} dropped peers ` +
        `(at most ${MAX_PEX_PEERS_PER_MESSAGE} each)`,
    );
  }
  if (added.length === 0 && dropped.length === 0) {
    throw new ExtensionError("ut_pex message without any added or dropped peer");
  }
  const family = (peer: PeerAddress): 4 | 6 => {
    const bytes = ipBytes(peer.host);
    if (!bytes) throw new ExtensionError(`ut_pex peer is not an IP address: ${peer.host}`);
    if (!isPort(peer.port)) throw new ExtensionError(`ut_pex peer has a bad port: ${peer.port}`);
    return bytes.length === 4 ? 4 : 6;
  };
  const dict: Record<string, BencodeInput | undefined> = {};
  for (const f of [4, 6] as const) {
    const suffix = f === 4 ? "" : "6";
    const add = added.filter((p) => family(p) === f);
    const drop = dropped.filter((p) => family(p) === f);
    if (add.length > 0) {
      dict[`added${suffix}`] = encodeCompactPeers(add, f);
      dict[`added${suffix}.f`] = Uint8Array.from(add, (p) => flagsToByte(p.flags));
    }
    if (drop.length > 0) dict[`dropped${suffix}`] = encodeCompactPeers(drop, f);
  }
  return encodeBencode(dict);
}

/** Whole compact entries of `field`, at most `room` of them, without port 0 or repeats. */
function compactList(
  dict: BencodeDict,
  field: string,
  family: 4 | 6,
  room: number,
  seen: Set<string>,
): { peer: PeerAddress; index: number }[] {
  const bytes = dictGet(dict, field);
  if (!(bytes instanceof Uint8Array) || room <= 0) return [];
  const size = family === 4 ? 6 : 18;
  const peers = decodeCompactPeers(bytes.subarray(0, Math.min(bytes.length, room * size)), family);
  const out: { peer: PeerAddress; index: number }[] = [];
  peers.forEach((peer, index) => {
    const key = peerKey(bytes.subarray(index * size, index * size + size - 2), peer.port);
    if (peer.port === 0 || seen.has(key)) return;
    seen.add(key);
    out.push({ peer, index });
  });
  return out;
}

/**
 * Decodes a `ut_pex` payload. Tolerant: missing or wrong-typed fields count as empty, a missing
 * or short flags string gives those peers no flags (unknown bits are ignored), trailing partial
 * entries, port-0 entries and repeats are skipped, and beyond {@link MAX_PEX_PEERS_DECODED}
 * added (or dropped) peers the rest are ignored. Throws {@link ExtensionError} only when the
 * payload does not start with a bencoded dict. Peers from PEX are hearsay: dial them, never
 * trust them.
 * @example
 * ```ts
 * const { added } = decodePexMessage(payload);
 * for (const peer of added) candidates.add(peer.host, peer.port);
 * ```
 */
export function decodePexMessage(payload: Uint8Array): PexMessage {
  let dict: BencodeDict;
  try {
    const { value } = decodeBencodePrefix(payload);
    if (!isBencodeDict(value)) throw new ExtensionError("ut_pex message is not a dict");
    dict = value;
  } catch (e) {
    if (e instanceof BencodeError) throw new ExtensionError(`ut_pex: ${e.message}`);
    throw e;
  }
  const added: PexPeer[] = [];
  const addedSeen = new Set<string>();
  for (const [field, family] of [["added", 4], ["added6", 6]] as const) {
    const flagBytes = dictGet(dict, `${field}.f`);
    const flags = flagBytes instanceof Uint8Array ? flagBytes : new Uint8Array();
    const room = MAX_PEX_PEERS_DECODED - added.length;
    for (const { peer, index } of compactList(dict, field, family, room, addedSeen)) {
      added.push({ host: peer.host, port: peer.port, flags: flagsFromByte(flags[index] ?? 0) });
    }
  }
  const dropped: PeerAddress[] = [];
  const droppedSeen = new Set<string>();
  for (const [field, family] of [["dropped", 4], ["dropped6", 6]] as const) {
    const room = MAX_PEX_PEERS_DECODED - dropped.length;
    for (const { peer } of compactList(dict, field, family, room, droppedSeen)) dropped.push(peer);
  }
  return { added, dropped };
}

/** Tuning and the clock for {@link PexState}. */
export interface PexStateOptions {
  /** Milliseconds now; `Date.now` when absent. */
  readonly now?: () => number;
  /** Least time between two messages; {@link PEX_INTERVAL_MS} when absent. */
  readonly intervalMs?: number;
}

/**
 * What one remote peer has been told by PEX, and the next update for it. Keep one per
 * connection that advertised `ut_pex` (never for a private torrent). Every so often (a timer of
 * a few seconds is fine) call {@link PexState.next} with the peers connected now — without the
 * remote peer itself, and only peers whose connection completed the handshake (BEP 11) — and send
 * what it returns, if anything.
 * @example
 * ```ts
 * const pex = new PexState();
 * // on a timer:
 * const message = pex.next(connectedPeers.filter((p) => p !== remote).map(toPexPeer));
 * if (message) send({ type: "extended", id: remotePexId, payload: encodePexMessage(message) });
 * ```
 */
export class PexState {
  readonly #now: () => number;
  readonly #intervalMs: number;
  /** Peers the remote has been told about (added and not dropped since), by address. */
  readonly #advertised = new Map<string, PeerAddress>();
  #lastSent: number | undefined;

  constructor(options: PexStateOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#intervalMs = options.intervalMs ?? PEX_INTERVAL_MS;
  }

  /**
   * The next message for this remote peer, or undefined when it is too soon after the last one
   * or nothing changed. The first message adds the peers connected now; later ones add peers
   * connected since and drop peers gone since. At most {@link MAX_PEX_PEERS_PER_MESSAGE} of each
   * per message: the rest follow in later messages. Hosts that are not IP literals are skipped.
   * A peer connected and gone again between two messages is never mentioned.
   */
  next(connected: readonly PexPeer[]): PexMessage | undefined {
    const now = this.#now();
    if (this.#lastSent !== undefined && now - this.#lastSent < this.#intervalMs) return undefined;
    const current = new Map<string, PexPeer>();
    for (const peer of connected) {
      const bytes = ipBytes(peer.host);
      if (bytes && peer.port > 0 && peer.port <= 65535) {
        current.set(peerKey(bytes, peer.port), peer);
      }
    }
    const added: [string, PexPeer][] = [];
    for (const [key, peer] of current) {
      if (added.length === MAX_PEX_PEERS_PER_MESSAGE) break;
      if (!this.#advertised.has(key)) added.push([key, peer]);
    }
    const dropped: [string, PeerAddress][] = [];
    for (const [key, peer] of this.#advertised) {
      if (dropped.length === MAX_PEX_PEERS_PER_MESSAGE) break;
      if (!current.has(key)) dropped.push([key, peer]);
    }
    if (added.length === 0 && dropped.length === 0) return undefined;
    for (const [key, peer] of added) {
      this.#advertised.set(key, { host: peer.host, port: peer.port });
    }
    for (const [key] of dropped) this.#advertised.delete(key);
    this.#lastSent = now;
    return { added: added.map(([, peer]) => peer), dropped: dropped.map(([, peer]) => peer) };
  }
}
