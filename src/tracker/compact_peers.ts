/**
 * Compact peer lists (BEP 23 for IPv4, BEP 7 for IPv6): 4 or 16 address bytes then a big-endian
 * port, back to back. Trackers, PEX and the DHT all use this encoding.
 * @module
 */

import type { PeerAddress } from "./types.ts";

/** Bytes of one compact entry by address family. */
const ENTRY_LENGTH = { 4: 6, 6: 18 } as const;

/**
 * Decodes a compact peer list. A trailing partial entry is ignored, as libtorrent does, since the
 * whole entries before it are still good.
 * @example
 * ```ts
 * decodeCompactPeers(new Uint8Array([127, 0, 0, 1, 0x1a, 0xe1]), 4); // [{ host: "127.0.0.1", port: 6881 }]
 * ```
 */
export function decodeCompactPeers(bytes: Uint8Array, family: 4 | 6): PeerAddress[] {
  const size = ENTRY_LENGTH[family];
  const peers: PeerAddress[] = [];
  for (let at = 0; at + size <= bytes.length; at += size) {
    const ip = bytes.subarray(at, at + size - 2);
    const port = (bytes[at + size - 2] << 8) | bytes[at + size - 1];
    peers.push({ host: family === 4 ? ip.join(".") : formatIpv6(ip), port });
  }
  return peers;
}

/**
 * Encodes peers of one family as a compact list; throws if a host is not an address of that
 * family (hostnames have no compact form).
 * @example
 * ```ts
 * encodeCompactPeers([{ host: "127.0.0.1", port: 6881 }], 4); // Uint8Array [127, 0, 0, 1, 26, 225]
 * ```
 */
export function encodeCompactPeers(peers: readonly PeerAddress[], family: 4 | 6): Uint8Array {
  const size = ENTRY_LENGTH[family];
  const out = new Uint8Array(peers.length * size);
  peers.forEach((peer, i) => {
    const ip = family === 4 ? parseIpv4(peer.host) : parseIpv6(peer.host);
    if (!ip) throw new Error(`not an IPv${family} address: ${peer.host}`);
    out.set(ip, i * size);
    out[i * size + size - 2] = peer.port >> 8;
    out[i * size + size - 1] = peer.port & 0xff;
  });
  return out;
}

/**
 * The 4 bytes of a dotted-quad IPv4 address, or undefined if `host` is not one.
 * @example
 * ```ts
 * parseIpv4("10.0.0.1"); // Uint8Array [10, 0, 0, 1]
 * ```
 */
export function parseIpv4(host: string): Uint8Array | undefined {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && +p <= 255)) {
    return undefined;
  }
  return new Uint8Array(parts.map(Number));
}

/**
 * The 16 bytes of an IPv6 address (without brackets), or undefined if `host` is not one.
 * @example
 * ```ts
 * parseIpv6("::1"); // Uint8Array [0, ..., 0, 1]
 * ```
 */
export function parseIpv6(host: string): Uint8Array | undefined {
  if (!host.includes(":") || /[^0-9a-fA-F:.]/.test(host)) return undefined;
  let hostname: string;
  try {
    // The WHATWG URL parser is a complete, well-tested IPv6 parser; it normalizes to RFC 5952 form.
    hostname = new URL(`http://[${host}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const [head, tail] = hostname.includes("::") ? hostname.split("::") : [hostname, undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array(zeros).fill("0"), ...tailGroups];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const value = parseInt(g, 16);
    out[i * 2] = value >> 8;
    out[i * 2 + 1] = value & 0xff;
  });
  return out;
}

/**
 * RFC 5952 text of 16 IPv6 address bytes (lower case, longest zero run as `::`).
 * @example
 * ```ts
 * formatIpv6(new Uint8Array(16)); // "::"
 * ```
 */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  // The URL parser applies RFC 5952 (zero-run compression, IPv4-mapped form) for us.
  return new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1);
}
