import assert from "node:assert/strict";
import {
  buildPlaylist,
  runSeekSeconds,
  segmentCount,
  segmentStartSeconds,
} from "../../src/transcode/hls_playlist.ts";
import type { HlsPlan } from "../../src/transcode/codec_plan.ts";

/** A minimal parser of what we emit: tags and (duration, uri) pairs. */
function parsePlaylist(text: string) {
  const lines = text.split("\n");
  assert.equal(lines[0], "#EXTM3U");
  assert.equal(lines.at(-1), "", "ends with a newline");
  const tags = new Map<string, string>();
  const segments: { duration: number; uri: string }[] = [];
  for (let i = 1; i < lines.length - 1; i++) {
    const line = lines[i];
    if (line.startsWith("#EXTINF:")) {
      const match = /^#EXTINF:(\d+\.\d+),$/.exec(line);
      assert.ok(match, line);
      segments.push({ duration: Number(match[1]), uri: lines[++i] });
    } else {
      const [tag, value = ""] = line.split(":");
      tags.set(tag, value);
    }
  }
  return { tags, segments };
}

const grid = { segmentSeconds: 6, offsetSeconds: 0 };

Deno.test("a 60 s file is ten 6 s segments in a VOD playlist", () => {
  const { tags, segments } = parsePlaylist(buildPlaylist(60, grid));
  assert.equal(tags.get("#EXT-X-PLAYLIST-TYPE"), "VOD");
  assert.equal(tags.get("#EXT-X-TARGETDURATION"), "6");
  assert.equal(tags.get("#EXT-X-MEDIA-SEQUENCE"), "0");
  assert.ok(tags.has("#EXT-X-ENDLIST"));
  assert.deepEqual(segments.map((s) => s.uri), Array.from({ length: 10 }, (_, n) => `${n}.ts`));
  assert.ok(segments.every((s) => s.duration === 6));
});

Deno.test("the last segment holds the remainder, and a tiny tail is folded into it", () => {
  let { segments } = parsePlaylist(buildPlaylist(63.5, grid));
  assert.equal(segments.length, 11);
  assert.equal(segments.at(-1)!.duration, 3.5);
  ({ segments } = parsePlaylist(buildPlaylist(60.2, grid)));
  assert.equal(segments.length, 10);
  assert.ok(Math.abs(segments.at(-1)!.duration - 6.2) < 1e-9);
  ({ segments } = parsePlaylist(buildPlaylist(2, grid)));
  assert.deepEqual(segments, [{ duration: 2, uri: "0.ts" }]);
  // The durations add up to the file's.
  ({ segments } = parsePlaylist(buildPlaylist(3725.37, grid)));
  const total = segments.reduce((sum, s) => sum + s.duration, 0);
  assert.ok(Math.abs(total - 3725.37) < 1e-3);
});

Deno.test("target duration covers every rounded segment duration", () => {
  const { tags, segments } = parsePlaylist(buildPlaylist(60.4, grid));
  const target = Number(tags.get("#EXT-X-TARGETDURATION"));
  assert.ok(segments.every((s) => Math.round(s.duration) <= target));
});

Deno.test("a keyframe offset shifts every boundary but the first", () => {
  const offset = { segmentSeconds: 6, offsetSeconds: 0.021 };
  assert.equal(segmentStartSeconds(0, offset), 0);
  assert.equal(segmentStartSeconds(1, offset), 6.021);
  assert.equal(segmentCount(60.021, offset), 10);
  const { segments } = parsePlaylist(buildPlaylist(60.021, offset));
  assert.equal(segments[0].duration, 6.021);
  assert.ok(Math.abs(segments[9].duration - 6) < 1e-6);
});

Deno.test("runs seek exactly when encoding, a little before the keyframe when copying", () => {
  const encode: HlsPlan = {
    streams: [{ input: 0, type: "video", codec: "mpeg4", conversion: "h264" }],
    segmentSeconds: 6,
    offsetSeconds: 0,
  };
  const copy: HlsPlan = {
    streams: [{ input: 0, type: "video", codec: "h264", conversion: "copy" }],
    segmentSeconds: 6,
    offsetSeconds: 0.021,
  };
  assert.equal(runSeekSeconds(0, encode), 0);
  assert.equal(runSeekSeconds(7, encode), 42);
  assert.equal(runSeekSeconds(0, copy), 0);
  const seek = runSeekSeconds(7, copy);
  assert.ok(seek < 42.021 && seek > 42.021 - 0.008, String(seek));
});
