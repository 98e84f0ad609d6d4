/**
 * Routing of transcoding requests. Only digits from the path ever reach ffmpeg, so the grammar is
 * strict: canonical decimal integers (no sign, no leading zeros) of at most nine digits.
 * @module
 */

/** What a transcoding path asks for; `index` is the torrent file index. */
export type TranscodeRoute =
  | { readonly kind: "probe"; readonly index: number }
  | { readonly kind: "remux"; readonly index: number }
  | { readonly kind: "playlist"; readonly index: number }
  | { readonly kind: "segment"; readonly index: number; readonly segment: number };

const INTEGER = "(0|[1-9][0-9]{0,8})";
const ROUTE = new RegExp(
  `^/${INTEGER}/(?:(probe)|(remux\\.ts)|(hls/index\\.m3u8)|hls/${INTEGER}\\.ts)$`,
);

/**
 * Parses `/<index>/probe`, `/<index>/remux.ts`, `/<index>/hls/index.m3u8` or
 * `/<index>/hls/<n>.ts`; any other path gives `undefined` (not ours to answer).
 * @example
 * ```ts
 * parseTranscodePath("/3/hls/12.ts"); // { kind: "segment", index: 3, segment: 12 }
 * parseTranscodePath("/3/movie.mkv"); // undefined
 * ```
 */
export function parseTranscodePath(pathname: string): TranscodeRoute | undefined {
  const match = ROUTE.exec(pathname);
  if (!match) return undefined;
  const index = Number(match[1]);
  if (match[2]) return { kind: "probe", index };
  if (match[3]) return { kind: "remux", index };
  if (match[4]) return { kind: "playlist", index };
  return { kind: "segment", index, segment: Number(match[5]) };
}
