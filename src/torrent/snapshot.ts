/**
 * Plain-data snapshots of a torrent's state. The engine produces them; the TUI and the plain
 * progress printer only read them, so the engine never waits on the UI.
 * @module
 */

/** Lifecycle state shown to the user. */
export type TorrentState =
  | "checking"
  | "metadata"
  | "downloading"
  | "seeding"
  | "paused"
  | "done"
  | "error";

/** Per-piece state for the piece map, one byte a piece. */
export const PieceCell = {
  Missing: 0,
  Downloading: 1,
  Have: 2,
  /** Missing but wanted first (byte-range priority). */
  Priority: 3,
  /** In a skipped file: not wanted. */
  Skipped: 4,
} as const;
/** One of {@linkcode PieceCell}'s values. */
export type PieceCell = typeof PieceCell[keyof typeof PieceCell];

/** File download priority. */
export type FilePriority = "skip" | "low" | "normal" | "high";

/** One connected peer. */
export interface PeerSnapshot {
  /** `host:port`. */
  readonly address: string;
  /** Client name decoded from the peer-id, e.g. "libtorrent 2.0.8". */
  readonly client: string;
  readonly amChoking: boolean;
  readonly amInterested: boolean;
  readonly peerChoking: boolean;
  readonly peerInterested: boolean;
  readonly incoming: boolean;
  /** "plaintext-mse": an MSE handshake, then plaintext; "rc4": the whole stream encrypted. */
  readonly encryption: "none" | "plaintext-mse" | "rc4";
  /** Bytes per second, smoothed. */
  readonly downRate: number;
  readonly upRate: number;
  readonly downloaded: number;
  readonly uploaded: number;
  /** Fraction of the torrent the peer has, 0..1. */
  readonly progress: number;
  /** Our block requests waiting on this peer. */
  readonly outstanding: number;
  /** Pieces we have requested blocks of from this peer. */
  readonly requestedPieces: readonly number[];
}

/** One file of the torrent (pad files are not listed). */
export interface FileSnapshot {
  /** The file's index in the metainfo's file list: what `setFilePriority` and `--select` take. */
  readonly index: number;
  readonly path: string;
  readonly length: number;
  /** Verified bytes of this file. */
  readonly done: number;
  readonly priority: FilePriority;
}

/** One tracker. */
export interface TrackerSnapshot {
  readonly url: string;
  readonly status: "idle" | "announcing" | "ok" | "error" | "backoff";
  readonly lastError?: string;
  /** Peers the last reply gave. */
  readonly peers: number;
  readonly seeders?: number;
  readonly leechers?: number;
  /** Milliseconds since the epoch of the next announce, if scheduled. */
  readonly nextAnnounceAt?: number;
}

/** A line of the event log. */
export interface LogLine {
  /** Milliseconds since the epoch. */
  readonly at: number;
  readonly level: "info" | "warn" | "error";
  readonly text: string;
}

/** The streaming server's view of a torrent, with `--stream`. */
export interface StreamSnapshot {
  /** The server's root (an index page). */
  readonly url: string;
  /** Stream URL of each file, by file index. */
  readonly fileUrls: Readonly<Record<number, string>>;
  /** HLS playlist URL of each playable media file, by file index, when ffmpeg is available. */
  readonly hlsUrls?: Readonly<Record<number, string>>;
  /** Time from the last Range request to its first byte sent (ms). */
  readonly lastSeekMs?: number;
  /** Median of that time over recent requests (ms). */
  readonly medianSeekMs?: number;
  /** Responses being sent now. */
  readonly activeStreams: number;
}

/** Everything a view needs to draw one torrent. */
export interface TorrentSnapshot {
  readonly name: string;
  readonly infoHashHex: string;
  readonly state: TorrentState;
  readonly totalLength: number;
  readonly pieceLength: number;
  readonly pieceCount: number;
  /** Bytes verified on disk among wanted pieces. */
  readonly verifiedBytes: number;
  /** Bytes wanted (total minus skipped files). */
  readonly wantedBytes: number;
  /** One {@linkcode PieceCell} a piece. */
  readonly pieces: Uint8Array;
  readonly downRate: number;
  readonly upRate: number;
  /** Payload bytes received and sent this session. */
  readonly downloaded: number;
  readonly uploaded: number;
  /** Seconds until done, or undefined when unknown. */
  readonly etaSeconds?: number;
  readonly peers: readonly PeerSnapshot[];
  readonly files: readonly FileSnapshot[];
  readonly trackers: readonly TrackerSnapshot[];
  /** Most recent last. */
  readonly log: readonly LogLine[];
  /** Down/up bytes per second, one sample a second, oldest first, at most 60. */
  readonly rateHistory: { readonly down: readonly number[]; readonly up: readonly number[] };
  /** Set when state is "error". */
  readonly error?: string;
  /** Present while the streaming server runs. */
  readonly stream?: StreamSnapshot;
}
