/**
 * What other clients make of a .torrent or magnet link: libtorrent (Debian's python3-libtorrent
 * under /usr/bin/python3), `transmission-show` and `aria2c -S`. Every run has a time limit.
 * @module
 */

const TIMEOUT_MS = 20_000;

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${cmd} failed (${out.code}): ${new TextDecoder().decode(out.stderr)}${text}`);
  }
  return text;
}

/** libtorrent's view of a .torrent. */
export interface LibtorrentInfo {
  readonly infoHash: string;
  readonly name: string;
  readonly totalSize: number;
  readonly pieceLength: number;
  readonly numPieces: number;
  readonly files: readonly { path: string; size: number; pad: boolean }[];
  readonly trackers: readonly { url: string; tier: number }[];
  readonly private: boolean;
  readonly comment: string;
  readonly creator: string;
}

const LOAD_TORRENT = `
import json, sys, libtorrent as lt
ti = lt.torrent_info(sys.argv[1])
fs = ti.files()
print(json.dumps({
  "infoHash": str(ti.info_hashes().v1), "name": ti.name(), "totalSize": ti.total_size(),
  "pieceLength": ti.piece_length(), "numPieces": ti.num_pieces(),
  "files": [{"path": fs.file_path(i), "size": fs.file_size(i),
             "pad": bool(fs.file_flags(i) & lt.file_storage.flag_pad_file)}
            for i in range(fs.num_files())],
  "trackers": [{"url": t.url, "tier": t.tier} for t in ti.trackers()],
  "private": ti.priv(), "comment": ti.comment(), "creator": ti.creator()}))
`;

/**
 * Loads a .torrent with libtorrent.
 * @example
 * ```ts
 * const lt = await libtorrentInfo("/tmp/x.torrent");
 * ```
 */
export async function libtorrentInfo(path: string): Promise<LibtorrentInfo> {
  return JSON.parse(await run("/usr/bin/python3", ["-c", LOAD_TORRENT, path]));
}

/** libtorrent's view of a magnet link. */
export interface LibtorrentMagnet {
  readonly infoHash: string;
  readonly name: string;
  readonly trackers: readonly string[];
  readonly trackerTiers: readonly number[];
  readonly peers: readonly string[];
}

const PARSE_MAGNET = `
import json, sys, libtorrent as lt
p = lt.parse_magnet_uri(sys.argv[1])
print(json.dumps({"infoHash": str(p.info_hashes.v1), "name": p.name, "trackers": list(p.trackers),
  "trackerTiers": list(p.tracker_tiers), "peers": ["%s:%d" % (h, port) for h, port in p.peers]}))
`;

/**
 * Parses a magnet link with libtorrent's `parse_magnet_uri`.
 * @example
 * ```ts
 * const m = await libtorrentMagnet("magnet:?xt=urn:btih:...");
 * ```
 */
export async function libtorrentMagnet(uri: string): Promise<LibtorrentMagnet> {
  return JSON.parse(await run("/usr/bin/python3", ["-c", PARSE_MAGNET, uri]));
}

/** What `transmission-show` prints that we compare: hash, file paths and sizes in bytes. */
export interface ShowInfo {
  readonly infoHash: string;
  readonly files: readonly string[];
}

/**
 * Runs `transmission-show` on a .torrent.
 * @example
 * ```ts
 * const t = await transmissionShow("/tmp/x.torrent");
 * ```
 */
export async function transmissionShow(path: string): Promise<ShowInfo> {
  const text = await run("transmission-show", [path]);
  const infoHash = /^\s*Hash: ([0-9a-f]{40})$/m.exec(text)?.[1] ?? "";
  const filesPart = text.split(/^FILES\s*$/m)[1] ?? "";
  // Lines look like "  name/path/file.bin (1.05 MB)".
  const files = [...filesPart.matchAll(/^\s+(.+?) \([^()]*\)$/gm)].map((m) => m[1]);
  return { infoHash, files };
}

/**
 * Runs `aria2c -S` (show torrent info) on a .torrent.
 * @example
 * ```ts
 * const a = await aria2Show("/tmp/x.torrent");
 * ```
 */
export async function aria2Show(path: string): Promise<ShowInfo> {
  const text = await run("aria2c", ["-S", path]);
  const infoHash = /^Info Hash: ([0-9a-f]{40})$/m.exec(text)?.[1] ?? "";
  // Files are listed as "  1|./name/path/file.bin" followed by a size line.
  const files = [...text.matchAll(/^\s*\d+\|\.\/(.+)$/gm)].map((m) => m[1]);
  return { infoHash, files };
}
