import assert from "node:assert/strict";
import {
  ALLOWED_DEMUXERS,
  probeArgs,
  remuxArgs,
  segmentArgs,
} from "../../src/transcode/ffmpeg_args.ts";
import type { HlsPlan, PlannedStream } from "../../src/transcode/codec_plan.ts";

const URL_ = "http://127.0.0.1:8080/3/a%20b.mkv";

/** The value following `flag` in `args`. */
function option(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i === -1 ? undefined : args[i + 1];
}

/** Every input is pinned to HTTP and media demuxers, and those options precede `-i`. */
function assertPinnedInput(args: readonly string[]) {
  const input = args.indexOf("-i");
  assert.equal(args[input + 1], URL_);
  assert.equal(args.filter((a) => a === "-i").length, 1);
  assert.equal(option(args, "-protocol_whitelist"), "http,tcp");
  assert.ok(args.indexOf("-protocol_whitelist") < input);
  assert.equal(option(args, "-format_whitelist"), ALLOWED_DEMUXERS.join(","));
  assert.ok(args.indexOf("-format_whitelist") < input);
  for (const unsafe of ["hls", "concat", "ffconcat", "image2", "lavfi", "tee", "data"]) {
    assert.ok(!ALLOWED_DEMUXERS.includes(unsafe), unsafe);
  }
}

Deno.test("probe argv samples packets of the start and pins the input", () => {
  const args = probeArgs(URL_, 13);
  assertPinnedInput(args);
  assert.equal(option(args, "-read_intervals"), "%+13");
  assert.equal(option(args, "-show_entries"), "packet=stream_index,pts_time,flags");
  assert.ok(args.includes("-show_format") && args.includes("-show_streams"));
});

Deno.test("remux argv maps each planned stream with its own codec options", () => {
  const streams: PlannedStream[] = [
    { input: 1, type: "video", codec: "vp9", conversion: "h264" },
    { input: 2, type: "audio", codec: "dts", conversion: "ac3", channels: 6 },
    { input: 4, type: "audio", codec: "mp3", conversion: "copy" },
  ];
  const args = remuxArgs(URL_, streams);
  assertPinnedInput(args);
  assert.deepEqual(args.filter((_, i) => args[i - 1] === "-map"), ["0:1", "0:2", "0:4"]);
  assert.equal(option(args, "-c:0"), "libx264");
  assert.equal(option(args, "-preset:0"), "veryfast");
  assert.equal(option(args, "-c:1"), "ac3");
  assert.equal(option(args, "-b:1"), "448k");
  assert.equal(option(args, "-c:2"), "copy");
  assert.deepEqual(args.slice(-2), ["mpegts", "pipe:1"]);
  assert.ok(!args.includes("-ss"));
});

Deno.test("segment argv: seek, grid, numbering and timestamp offset of a run", () => {
  const plan: HlsPlan = {
    streams: [
      { input: 0, type: "video", codec: "mpeg4", conversion: "h264" },
      { input: 1, type: "audio", codec: "mp2", conversion: "aac", channels: 1 },
    ],
    segmentSeconds: 6,
    offsetSeconds: 0,
  };
  const args = segmentArgs({ sourceUrl: URL_, plan, startSegment: 7, dir: "/tmp/run" });
  assertPinnedInput(args);
  assert.equal(option(args, "-ss"), "42.000000");
  assert.ok(args.indexOf("-ss") < args.indexOf("-i"), "input seek");
  assert.equal(option(args, "-force_key_frames:0"), "expr:gte(t,n_forced*6.000000)");
  assert.equal(option(args, "-c:1"), "aac");
  assert.equal(option(args, "-ac:1"), "2");
  assert.equal(option(args, "-f"), "segment");
  assert.equal(option(args, "-segment_time"), "6.000000");
  assert.equal(option(args, "-segment_start_number"), "7");
  assert.equal(option(args, "-initial_offset"), "42.000000");
  assert.equal(option(args, "-segment_list"), "/tmp/run/list.csv");
  assert.equal(args.at(-1), "/tmp/run/%d.ts");
  // From the start: no seek at all.
  const first = segmentArgs({ sourceUrl: URL_, plan, startSegment: 0, dir: "/tmp/run" });
  assert.ok(!first.includes("-ss"));
  assert.equal(option(first, "-initial_offset"), "0.000000");
});

Deno.test("segment argv with copy: no forced keyframes, seek just before the keyframe", () => {
  const plan: HlsPlan = {
    streams: [{ input: 0, type: "video", codec: "h264", conversion: "copy" }],
    segmentSeconds: 6,
    offsetSeconds: 0.021,
  };
  const args = segmentArgs({ sourceUrl: URL_, plan, startSegment: 5, dir: "/tmp/run" });
  assert.equal(option(args, "-c:0"), "copy");
  assert.ok(!args.some((a) => a.startsWith("-force_key_frames")));
  assert.equal(option(args, "-ss"), "30.017000");
  assert.equal(option(args, "-initial_offset"), "30.021000");
  assert.equal(option(args, "-copypriorss"), "0");
});

Deno.test("argv holds only our constants, numbers and the source URL", () => {
  const plan: HlsPlan = {
    streams: [{ input: 0, type: "video", codec: "x", conversion: "h264" }],
    segmentSeconds: 6,
    offsetSeconds: 0,
  };
  const all = [
    ...probeArgs(URL_, 13),
    ...remuxArgs(URL_, plan.streams),
    ...segmentArgs({ sourceUrl: URL_, plan, startSegment: 3, dir: "/tmp/run" }),
  ];
  for (const arg of all) {
    assert.ok(
      arg === URL_ || arg.startsWith("/tmp/run/") || /^[-+:%.,=()*_a-z0-9]+$/i.test(arg),
      arg,
    );
  }
});
