import assert from "node:assert/strict";
import { hlsPlan, remuxConversion, remuxPlan } from "../../src/transcode/codec_plan.ts";
import { copySegmentSeconds, keyframeCadence } from "../../src/transcode/keyframe_cadence.ts";
import { type MediaProbe, parseMediaProbe } from "../../src/transcode/media_probe.ts";

function probe(streams: object[], keyframes: number[] = []): MediaProbe {
  return parseMediaProbe(JSON.stringify({
    format: { format_name: "matroska,webm", duration: "60", start_time: "0" },
    streams,
    packets: keyframes.map((t) => ({ stream_index: 0, pts_time: String(t), flags: "K__" })),
  }));
}

const h264 = { index: 0, codec_type: "video", codec_name: "h264", pix_fmt: "yuv420p" };

Deno.test("remux copies what MPEG-TS carries and converts the rest", () => {
  for (const codec of ["h264", "hevc", "mpeg2video", "mpeg1video", "mpeg4"]) {
    assert.equal(remuxConversion("video", codec), "copy", codec);
  }
  for (const codec of ["vp9", "av1", "vp8", "theora", "wmv3", "unknown"]) {
    assert.equal(remuxConversion("video", codec), "h264", codec);
  }
  for (const codec of ["aac", "mp3", "mp2", "ac3", "eac3"]) {
    assert.equal(remuxConversion("audio", codec), "copy", codec);
  }
  for (const codec of ["dts", "truehd", "flac", "opus", "vorbis", "pcm_s16le", "wmav2"]) {
    assert.equal(remuxConversion("audio", codec), "ac3", codec);
  }
});

Deno.test("remux plan: main video (not cover art) and every audio track, nothing else", () => {
  const plan = remuxPlan(probe([
    { index: 0, codec_type: "video", codec_name: "mjpeg", disposition: { attached_pic: 1 } },
    { index: 1, codec_type: "video", codec_name: "h264" },
    { index: 2, codec_type: "audio", codec_name: "dts", channels: 6 },
    { index: 3, codec_type: "audio", codec_name: "aac", channels: 2 },
    { index: 4, codec_type: "subtitle", codec_name: "subrip" },
    { index: 5, codec_type: "attachment", codec_name: "ttf" },
  ]));
  assert.deepEqual(plan.map((s) => [s.input, s.conversion]), [[1, "copy"], [2, "ac3"], [
    3,
    "copy",
  ]]);
  assert.equal(plan[1].channels, 6);
});

Deno.test("HLS copies H.264/AAC whose keyframes fall on a regular grid", () => {
  const plan = hlsPlan(
    probe([h264, { index: 1, codec_type: "audio", codec_name: "aac" }], [0, 6, 12]),
    6,
  );
  assert.deepEqual(plan.streams.map((s) => s.conversion), ["copy", "copy"]);
  assert.equal(plan.segmentSeconds, 6);
  assert.equal(plan.offsetSeconds, 0);
});

Deno.test("HLS transcodes when keyframes do not fall on a grid, or the codec needs it", () => {
  const aac = { index: 1, codec_type: "audio", codec_name: "aac" };
  // x264 defaults: a keyframe every 10 s, too few in the sample to trust.
  let plan = hlsPlan(probe([h264, aac], [0, 10]), 6);
  assert.deepEqual(plan.streams.map((s) => s.conversion), ["h264", "copy"]);
  assert.equal(plan.segmentSeconds, 6);
  // Irregular keyframes (scene cuts).
  plan = hlsPlan(probe([h264, aac], [0, 2.3, 6, 7.1, 12]), 6);
  assert.equal(plan.streams[0].conversion, "h264");
  // 10-bit H.264 is not playable everywhere.
  plan = hlsPlan(probe([{ ...h264, pix_fmt: "yuv420p10le" }, aac], [0, 6, 12]), 6);
  assert.equal(plan.streams[0].conversion, "h264");
  // MPEG-4 Part 2 + MP2 (the AVI case): both converted.
  plan = hlsPlan(
    probe([{ index: 0, codec_type: "video", codec_name: "mpeg4" }, {
      index: 1,
      codec_type: "audio",
      codec_name: "mp2",
    }], [0, 6, 12]),
    6,
  );
  assert.deepEqual(plan.streams.map((s) => s.conversion), ["h264", "aac"]);
});

Deno.test("HLS picks the default audio track, else the first", () => {
  const plan = hlsPlan(
    probe([
      h264,
      { index: 1, codec_type: "audio", codec_name: "ac3" },
      { index: 2, codec_type: "audio", codec_name: "aac", disposition: { default: 1 } },
    ]),
    6,
  );
  assert.deepEqual(plan.streams.map((s) => [s.input, s.conversion]), [[0, "h264"], [2, "copy"]]);
  const audioOnly = hlsPlan(probe([{ index: 0, codec_type: "audio", codec_name: "flac" }]), 6);
  assert.deepEqual(audioOnly.streams.map((s) => [s.input, s.conversion]), [[0, "aac"]]);
});

Deno.test("keyframe cadence: regular grids, Matroska rounding, and what is not a grid", () => {
  assert.deepEqual(keyframeCadence([0, 6, 12]), { periodSeconds: 6, offsetSeconds: 0 });
  const mkv = keyframeCadence([0.021, 6.021, 12.022, 18.021]);
  assert.ok(mkv && Math.abs(mkv.periodSeconds - 6) < 0.001 && mkv.offsetSeconds === 0.021);
  // 23.976 fps, 25-frame GOP, timestamps rounded to the millisecond: snapped to whole frames.
  const fps = 24000 / 1001;
  const rounded = [0, 1, 2, 3, 4, 5].map((i) => Math.round((i * 25 * 1000) / fps) / 1000);
  const film = keyframeCadence(rounded, fps);
  assert.ok(film && Math.abs(film.periodSeconds - 25 / fps) < 1e-12, String(film?.periodSeconds));
  assert.ok(Math.abs(keyframeCadence(rounded)!.periodSeconds - 25 / fps) > 1e-6);
  assert.equal(keyframeCadence([0, 6]), undefined, "two keyframes prove nothing");
  assert.equal(keyframeCadence([0, 6, 12.1]), undefined);
  assert.equal(keyframeCadence([2, 8, 14]), undefined, "first keyframe far from the start");
  assert.equal(keyframeCadence([0, 0, 0]), undefined);
});

Deno.test("copy segments are a whole number of keyframe periods near the target", () => {
  assert.equal(copySegmentSeconds({ periodSeconds: 2, offsetSeconds: 0 }, 6), 6);
  assert.equal(copySegmentSeconds({ periodSeconds: 6, offsetSeconds: 0 }, 6), 6);
  assert.equal(copySegmentSeconds({ periodSeconds: 4, offsetSeconds: 0 }, 6), 8);
  assert.equal(copySegmentSeconds({ periodSeconds: 10, offsetSeconds: 0 }, 6), 10);
  assert.equal(copySegmentSeconds({ periodSeconds: 13, offsetSeconds: 0 }, 6), undefined);
  const ntsc = copySegmentSeconds({ periodSeconds: 2.002, offsetSeconds: 0 }, 6)!;
  assert.ok(Math.abs(ntsc - 6.006) < 1e-9);
  // A 2 s grid gives 6 s copy segments in the plan.
  const plan = hlsPlan(probe([h264], [0, 2, 4, 6, 8, 10, 12]), 6);
  assert.equal(plan.streams[0].conversion, "copy");
  assert.equal(plan.segmentSeconds, 6);
});
