/**
 * Content-Type by file extension for what torrents carry (video, audio, subtitles, artwork, notes),
 * and which files are worth handing to a player. Pure.
 *
 * Markup (html, svg, xml) is deliberately absent: served from the stream server's origin it could
 * run script there, so it goes out as `application/octet-stream` (with `nosniff`, see the server).
 * @module
 */

/** What a file is, as far as playing it goes. */
export type MediaKind = "video" | "audio" | "subtitle" | "image" | "text" | "other";

const TYPES: Readonly<Record<string, readonly [MediaKind, string]>> = {
  // video
  mp4: ["video", "video/mp4"],
  m4v: ["video", "video/x-m4v"],
  mkv: ["video", "video/x-matroska"],
  mk3d: ["video", "video/x-matroska"],
  webm: ["video", "video/webm"],
  avi: ["video", "video/x-msvideo"],
  mov: ["video", "video/quicktime"],
  ts: ["video", "video/mp2t"],
  m2ts: ["video", "video/mp2t"],
  mts: ["video", "video/mp2t"],
  mpg: ["video", "video/mpeg"],
  mpeg: ["video", "video/mpeg"],
  vob: ["video", "video/mpeg"],
  ogv: ["video", "video/ogg"],
  wmv: ["video", "video/x-ms-wmv"],
  flv: ["video", "video/x-flv"],
  "3gp": ["video", "video/3gpp"],
  // audio
  mp3: ["audio", "audio/mpeg"],
  flac: ["audio", "audio/flac"],
  ogg: ["audio", "audio/ogg"],
  oga: ["audio", "audio/ogg"],
  // RFC 7845: Ogg Opus files are audio/ogg; audio/opus names the RTP payload.
  opus: ["audio", "audio/ogg"],
  m4a: ["audio", "audio/mp4"],
  m4b: ["audio", "audio/mp4"],
  wav: ["audio", "audio/wav"],
  aac: ["audio", "audio/aac"],
  ac3: ["audio", "audio/ac3"],
  mka: ["audio", "audio/x-matroska"],
  wma: ["audio", "audio/x-ms-wma"],
  // subtitles: no charset, many are not UTF-8 and players detect the encoding themselves
  srt: ["subtitle", "application/x-subrip"],
  vtt: ["subtitle", "text/vtt"],
  ass: ["subtitle", "text/x-ssa"],
  ssa: ["subtitle", "text/x-ssa"],
  sub: ["subtitle", "text/plain"],
  // artwork
  jpg: ["image", "image/jpeg"],
  jpeg: ["image", "image/jpeg"],
  png: ["image", "image/png"],
  gif: ["image", "image/gif"],
  webp: ["image", "image/webp"],
  bmp: ["image", "image/bmp"],
  // notes and documents
  txt: ["text", "text/plain; charset=utf-8"],
  nfo: ["text", "text/plain; charset=utf-8"],
  md: ["text", "text/markdown; charset=utf-8"],
  log: ["text", "text/plain; charset=utf-8"],
  cue: ["text", "text/plain; charset=utf-8"],
  pdf: ["other", "application/pdf"],
  epub: ["other", "application/epub+zip"],
  zip: ["other", "application/zip"],
};

const OCTET_STREAM = "application/octet-stream";

function lookup(path: string): readonly [MediaKind, string] | undefined {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const extension = name.slice(dot + 1).toLowerCase();
  return Object.hasOwn(TYPES, extension) ? TYPES[extension] : undefined;
}

/**
 * The Content-Type to serve a file with, from its extension (case-insensitive);
 * `application/octet-stream` for anything unknown.
 * @example
 * ```ts
 * contentTypeFor("Show/S01E01.MKV"); // "video/x-matroska"
 * contentTypeFor("setup.exe"); // "application/octet-stream"
 * ```
 */
export function contentTypeFor(path: string): string {
  return lookup(path)?.[1] ?? OCTET_STREAM;
}

/**
 * What kind of file `path` is, from its extension.
 * @example
 * ```ts
 * mediaKindOf("album/01 - Intro.flac"); // "audio"
 * mediaKindOf("README"); // "other"
 * ```
 */
export function mediaKindOf(path: string): MediaKind {
  return lookup(path)?.[0] ?? "other";
}
