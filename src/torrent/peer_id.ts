/**
 * Our peer-id and the decoding of other clients' peer-ids into names for the peers panel.
 * @module
 */

import { tryUtf8 } from "../util/bytes.ts";

/** Azureus-style prefix: "DN" (Deno) and version 0.1.0. */
export const PEER_ID_PREFIX = "-DN0100-";

/**
 * A fresh 20-byte peer-id: our prefix, then random printable characters.
 * @example
 * ```ts
 * makePeerId().length; // 20
 * ```
 */
export function makePeerId(): Uint8Array {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const random = crypto.getRandomValues(new Uint8Array(20 - PEER_ID_PREFIX.length));
  const tail = Array.from(random, (b) => alphabet[b % alphabet.length]).join("");
  return new TextEncoder().encode(PEER_ID_PREFIX + tail);
}

const AZUREUS_CLIENTS: Record<string, string> = {
  DN: "bittorrent-ts",
  LT: "libtorrent",
  lt: "libTorrent (rakshasa)",
  TR: "Transmission",
  A2: "aria2",
  AR: "Arctic",
  UT: "µTorrent",
  qB: "qBittorrent",
  DE: "Deluge",
  AZ: "Vuze",
  BT: "BitTorrent",
  WW: "WebTorrent",
  WD: "WebTorrent Desktop",
  KT: "KTorrent",
  FD: "Free Download Manager",
  BI: "BiglyBT",
  TX: "Tixati",
  RQ: "rqbit",
};

/**
 * A readable client name from a peer-id, e.g. "libtorrent 2.0.8" or "Transmission 3.00".
 * @example
 * ```ts
 * clientName(new TextEncoder().encode("-TR3000-abcdefghijkl")); // "Transmission 3.00"
 * ```
 */
export function clientName(peerId: Uint8Array): string {
  const text = tryUtf8(peerId.subarray(0, 8)) ?? "";
  const azureus = /^-([A-Za-z~][A-Za-z0-9~])([0-9A-Za-z]{4})-$/.exec(text);
  if (azureus) {
    const [, code, v] = azureus;
    const name = AZUREUS_CLIENTS[code] ?? code;
    return `${name} ${azureusVersion(code, v)}`;
  }
  // The version prefixes below are ASCII followed by random bytes, which need not be UTF-8: read
  // one character per byte, or a random tail would hide the version.
  const bytes = String.fromCharCode(...peerId);
  if (text.startsWith("A2-")) {
    const m = /^A2-(\d+)-(\d+)-(\d+)-/.exec(bytes);
    return m ? `aria2 ${m[1]}.${m[2]}.${m[3]}` : "aria2";
  }
  const mainline = /^M(\d+)-(\d+)-(\d+)-/.exec(bytes);
  if (mainline) return `BitTorrent ${mainline[1]}.${mainline[2]}.${mainline[3]}`;
  return "unknown";
}

function azureusVersion(code: string, v: string): string {
  const digit = (c: string) => (/[0-9]/.test(c) ? c : String(c.charCodeAt(0) - 55));
  if (code === "TR") return `${v[0]}.${v.slice(1, 3)}`; // "3000" -> "3.00", "2940" -> "2.94"
  if (code === "qB" || code === "LT" || code === "DN") {
    return [v[0], v[1], v[2]].map(digit).join(".");
  }
  return [v[0], v[1], v[2], v[3]].map(digit).join(".").replace(/\.0$/, "");
}
