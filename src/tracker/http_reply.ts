/**
 * Parsing an HTTP tracker's announce reply (BEP 3, BEP 23 compact peers, BEP 7 `peers6`).
 * Pure; the fetching is in `http_tracker.ts`.
 * @module
 */

import { BencodeError } from "../bencode/bencode_error.ts";
import {
  type BencodeDict,
  type BencodeValue,
  dictGet,
  isBencodeDict,
} from "../bencode/bencode_value.ts";
import { decodeBencode } from "../bencode/decode_bencode.ts";
import { decodeCompactPeers } from "./compact_peers.ts";
import { TrackerError, TrackerRefusal, trackerText } from "./tracker_error.ts";
import type { AnnounceResponse, PeerAddress } from "./types.ts";

/** What BEP 3 clients assume when a reply has no `interval`, as libtorrent does. */
const DEFAULT_INTERVAL_SECONDS = 1800;

/**
 * Reads an announce reply body. Peers come from the compact `peers` string or a list of
 * `{ip, port, peer id}` dicts (entries without a usable ip and port are skipped), plus `peers6`.
 * Throws {@linkcode TrackerRefusal} for a `failure reason`, {@linkcode TrackerError} saying what is
 * malformed otherwise.
 * @example
 * ```ts
 * const reply = parseHttpAnnounceReply(new TextEncoder().encode("d8:intervali900e5:peers0:e"));
 * // { interval: 900, peers: [] }
 * ```
 */
export function parseHttpAnnounceReply(body: Uint8Array): AnnounceResponse {
  let decoded: BencodeValue;
  try {
    decoded = decodeBencode(body);
  } catch (error) {
    if (!(error instanceof BencodeError)) throw error;
    const preview = trackerText(body.subarray(0, 40), 40);
    throw new TrackerError(`tracker reply is not bencode (${error.message}): "${preview}"`);
  }
  if (!isBencodeDict(decoded)) throw new TrackerError("tracker reply is not a bencode dictionary");
  const failure = dictGet(decoded, "failure reason");
  if (failure !== undefined) {
    throw new TrackerRefusal(
      failure instanceof Uint8Array ? trackerText(failure) : "(unreadable failure reason)",
    );
  }
  const warning = dictGet(decoded, "warning message");
  const minInterval = count(decoded, "min interval");
  const complete = count(decoded, "complete");
  const incomplete = count(decoded, "incomplete");
  return {
    interval: count(decoded, "interval") ?? DEFAULT_INTERVAL_SECONDS,
    peers: [...peerList(dictGet(decoded, "peers"), 4), ...peerList(dictGet(decoded, "peers6"), 6)],
    ...(minInterval !== undefined && { minInterval }),
    ...(complete !== undefined && { complete }),
    ...(incomplete !== undefined && { incomplete }),
    ...(warning instanceof Uint8Array && { warning: trackerText(warning) }),
  };
}

/** A non-negative integer field, undefined when absent; anything else is malformed. */
function count(dict: BencodeDict, key: string): number | undefined {
  const value = dictGet(dict, key);
  if (value === undefined) return undefined;
  if (typeof value !== "number" || value < 0) {
    throw new TrackerError(`tracker reply has a bad "${key}" (not a non-negative integer)`);
  }
  return value;
}

function peerList(value: BencodeValue | undefined, family: 4 | 6): PeerAddress[] {
  if (value === undefined) return [];
  if (value instanceof Uint8Array) return decodeCompactPeers(value, family);
  if (!Array.isArray(value) || family === 6) {
    throw new TrackerError(`tracker reply has a bad "${family === 4 ? "peers" : "peers6"}"`);
  }
  return value.flatMap((entry: BencodeValue) => {
    const peer = isBencodeDict(entry) ? dictPeer(entry) : undefined;
    return peer ? [peer] : [];
  });
}

/** One entry of a non-compact peer list, or undefined when it has no usable address. */
function dictPeer(entry: BencodeDict): PeerAddress | undefined {
  const ip = dictGet(entry, "ip");
  const port = dictGet(entry, "port");
  const peerId = dictGet(entry, "peer id");
  if (!(ip instanceof Uint8Array) || typeof port !== "number" || port < 1 || port > 65535) {
    return undefined;
  }
  const host = new TextDecoder().decode(ip).trim();
  // An IPv4 or IPv6 literal or a hostname: nothing else may reach a connect call.
  if (!/^[0-9A-Za-z.:-]{1,253}$/.test(host)) return undefined;
  return peerId instanceof Uint8Array && peerId.length === 20
    ? { host, port, peerId }
    : { host, port };
}
