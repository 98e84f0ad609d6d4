/**
 * Parsing of a peer address typed by the user (`--peer host:port` or `--peer [v6]:port`).
 * @module
 */

import { formatIpv6, parseIpv4, parseIpv6 } from "./compact_peers.ts";
import type { PeerAddress } from "./types.ts";

/**
 * A peer address the user typed is not `host:port` or `[v6]:port`.
 * @example
 * ```ts
 * throw new PeerAddressError("bad peer address \"x\": expected host:port or [v6]:port");
 * ```
 */
export class PeerAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PeerAddressError";
  }
}

const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * Parses `host:port` (IPv4 address or hostname) or `[v6]:port`; the IPv6 host comes back without
 * brackets. Throws {@linkcode PeerAddressError} with a one-line reason.
 * @example
 * ```ts
 * parsePeerAddress("127.0.0.1:6881"); // { host: "127.0.0.1", port: 6881 }
 * parsePeerAddress("[::1]:6881"); // { host: "::1", port: 6881 }
 * ```
 */
export function parsePeerAddress(text: string): PeerAddress {
  const fail = (why: string): never => {
    throw new PeerAddressError(`bad peer address "${text}": ${why}`);
  };
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(text);
  let host: string;
  let portText: string;
  if (bracketed) {
    [, host, portText] = bracketed;
    const ip = parseIpv6(host) ?? fail(`"${host}" is not an IPv6 address`);
    host = formatIpv6(ip);
  } else {
    if (text.startsWith("[")) fail("expected [v6]:port");
    const colon = text.lastIndexOf(":");
    if (colon < 0) fail("expected host:port or [v6]:port");
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(":")) fail("an IPv6 address needs brackets, as in [::1]:6881");
    if (host === "") fail("the host is missing");
    const numeric = /^[0-9.]+$/.test(host);
    if (numeric ? !parseIpv4(host) : !HOSTNAME.test(host)) fail(`"${host}" is not a host`);
  }
  if (!/^[0-9]{1,5}$/.test(portText) || +portText < 1 || +portText > 65535) {
    fail("the port must be a number from 1 to 65535");
  }
  return { host, port: Number(portText) };
}
