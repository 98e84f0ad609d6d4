/**
 * Turning metadata fetched from peers (BEP 9) into a parsed torrent and a `.torrent` file, so a
 * magnet download can restart from disk without asking peers for the metadata again.
 * @module
 */

import { scanBencode } from "../bencode/scan_bencode.ts";
import { BencodeError } from "../bencode/bencode_error.ts";
import { type BencodeInput, encodeBencode } from "../bencode/encode_bencode.ts";
import { parseMetainfo } from "../metainfo/parse_metainfo.ts";
import type { Metainfo } from "../metainfo/types.ts";
import { concatBytes } from "../util/bytes.ts";
import { ExtensionError } from "./extension_error.ts";

/** Optional top-level fields for the `.torrent` we write. */
export interface TorrentExtras {
  readonly comment?: string;
  readonly createdBy?: string;
  /** Seconds since the epoch. */
  readonly creationDate?: number;
}

/** A torrent rebuilt around fetched metadata. */
export interface TorrentFromMetadata {
  /** The parsed torrent; its info-hash is the SHA-1 of the info bytes given. */
  readonly metainfo: Metainfo;
  /** A `.torrent` file holding those info bytes unchanged, plus announce / announce-list. */
  readonly torrentBytes: Uint8Array;
}

const INFO_KEY = new TextEncoder().encode("4:info");

/**
 * Builds a `.torrent` around raw info dict bytes (e.g. {@link MetadataAssembler}'s result) and
 * parses it. The info bytes are embedded byte for byte, never re-encoded, so the info-hash is
 * the one they were verified against. `trackers` are tiers (a magnet's `tr` list is usually one
 * URL per tier: `magnet.trackers.map((url) => [url])`): the first URL becomes `announce`, all
 * tiers `announce-list`; empty tiers are dropped, and with no tracker at all neither key is
 * written. Throws {@link ExtensionError} when `infoBytes` is not exactly one bencoded dict, and
 * `MetainfoError` when the dict is not a usable torrent (parseMetainfo's checks).
 * @example
 * ```ts
 * const { metainfo, torrentBytes } = await metainfoFromInfoDict(infoBytes, [["udp://t.example:1337"]]);
 * await Deno.writeFile(`${dir}/${metainfo.infoHashHex}.torrent`, torrentBytes);
 * ```
 */
export async function metainfoFromInfoDict(
  infoBytes: Uint8Array,
  trackers: readonly (readonly string[])[],
  extra: TorrentExtras = {},
): Promise<TorrentFromMetadata> {
  let end: number;
  try {
    end = scanBencode(infoBytes);
  } catch (e) {
    if (e instanceof BencodeError) throw new ExtensionError(`metadata: ${e.message}`);
    throw e;
  }
  if (infoBytes[0] !== 0x64 || end !== infoBytes.length) {
    throw new ExtensionError("metadata is not exactly one bencoded dict");
  }
  const tiers = trackers.map((tier) => tier.filter((url) => url !== "")).filter((t) => t.length);
  // Every key here sorts before "info", so the info dict can be appended as the last entry.
  const head: Record<string, BencodeInput | undefined> = {
    announce: tiers[0]?.[0],
    "announce-list": tiers.length > 0 ? tiers : undefined,
    comment: extra.comment,
    "created by": extra.createdBy,
    "creation date": extra.creationDate,
  };
  const outer = encodeBencode(head);
  const torrentBytes = concatBytes([
    outer.subarray(0, -1),
    INFO_KEY,
    infoBytes,
    outer.subarray(-1),
  ]);
  return { metainfo: await parseMetainfo(torrentBytes), torrentBytes };
}
