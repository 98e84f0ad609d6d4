import assert from "node:assert/strict";
import { contentTypeFor, mediaKindOf } from "../../src/stream/media_types.ts";

Deno.test("media types: common media, subtitles, artwork and notes", () => {
  const expected: Record<string, string> = {
    "a.mp4": "video/mp4",
    "a.m4v": "video/x-m4v",
    "a.mkv": "video/x-matroska",
    "a.webm": "video/webm",
    "a.avi": "video/x-msvideo",
    "a.mov": "video/quicktime",
    "a.ts": "video/mp2t",
    "a.m2ts": "video/mp2t",
    "a.mpg": "video/mpeg",
    "a.mp3": "audio/mpeg",
    "a.flac": "audio/flac",
    "a.ogg": "audio/ogg",
    "a.opus": "audio/ogg",
    "a.m4a": "audio/mp4",
    "a.wav": "audio/wav",
    "a.aac": "audio/aac",
    "a.srt": "application/x-subrip",
    "a.vtt": "text/vtt",
    "a.ass": "text/x-ssa",
    "a.jpg": "image/jpeg",
    "a.jpeg": "image/jpeg",
    "a.png": "image/png",
    "a.gif": "image/gif",
    "a.txt": "text/plain; charset=utf-8",
    "a.nfo": "text/plain; charset=utf-8",
  };
  for (const [path, type] of Object.entries(expected)) {
    assert.equal(contentTypeFor(path), type, path);
  }
});

Deno.test("media types: extension is case-insensitive and taken from the last path element", () => {
  assert.equal(contentTypeFor("Show.S01/E01.MKV"), "video/x-matroska");
  assert.equal(contentTypeFor("dir.mp4/readme"), "application/octet-stream");
  assert.equal(contentTypeFor("movie.part1.Mp4"), "video/mp4");
});

Deno.test("media types: unknown, missing, hidden-file and markup extensions are octet-stream", () => {
  for (
    const path of [
      "setup.exe",
      "README",
      ".mkv",
      "dir/.mp4",
      "x.",
      "page.html",
      "logo.svg",
      "a.constructor",
      "a.__proto__",
      "a.toString",
    ]
  ) {
    assert.equal(contentTypeFor(path), "application/octet-stream", path);
    assert.equal(mediaKindOf(path), "other", path);
  }
});

Deno.test("media types: kinds", () => {
  assert.equal(mediaKindOf("a.mkv"), "video");
  assert.equal(mediaKindOf("a.flac"), "audio");
  assert.equal(mediaKindOf("a.srt"), "subtitle");
  assert.equal(mediaKindOf("a.png"), "image");
  assert.equal(mediaKindOf("a.nfo"), "text");
  assert.equal(mediaKindOf("a.pdf"), "other");
});
