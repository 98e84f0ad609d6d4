/**
 * The client's version, shown by `--version` and sent to peers.
 * @module
 */

/** Semantic version of bittorrent-ts. */
export const VERSION = "0.1.0";
