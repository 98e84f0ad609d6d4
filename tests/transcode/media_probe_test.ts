import assert from "node:assert/strict";
import { mainAudioStream, parseMediaProbe } from "../../src/transcode/media_probe.ts";
import { TranscodeError } from "../../src/transcode/transcode_error.ts";

const SAMPLE = {
  packets: [
    { stream_index: 0, pts_time: "0.021000", flags: "K__" },
    { stream_index: 1, pts_time: "0.000000", flags: "K__" },
    { stream_index: 0, pts_time: "0.061000", flags: "___" },
    { stream_index: 0, pts_time: "6.021000", flags: "K__" },
    { stream_index: 0, pts_time: "N/A", flags: "K__" },
  ],
  streams: [
    {
      index: 0,
      codec_name: "h264",
      profile: "High",
      codec_type: "video",
      width: 320,
      height: 240,
      pix_fmt: "yuv420p",
      r_frame_rate: "25/1",
      bit_rate: "36676",
      disposition: { default: 1, attached_pic: 0 },
    },
    {
      index: 1,
      codec_name: "ac3",
      codec_type: "audio",
      sample_rate: "48000",
      channels: 6,
      bit_rate: "448000",
      disposition: { default: 0 },
      tags: { language: "eng" },
    },
  ],
  format: {
    format_name: "matroska,webm",
    start_time: "0.000000",
    duration: "60.021000",
    bit_rate: "139156",
  },
};

Deno.test("parseMediaProbe keeps durations, codecs, bit rates and video keyframes", () => {
  const probe = parseMediaProbe(JSON.stringify(SAMPLE));
  assert.equal(probe.format, "matroska,webm");
  assert.equal(probe.durationSeconds, 60.021);
  assert.equal(probe.bitRate, 139156);
  assert.deepEqual(probe.keyframes, [0.021, 6.021]);
  assert.deepEqual(probe.streams[0], {
    index: 0,
    type: "video",
    codec: "h264",
    profile: "High",
    bitRate: 36676,
    width: 320,
    height: 240,
    pixelFormat: "yuv420p",
    frameRate: 25,
    isDefault: true,
    isPicture: false,
  });
  assert.equal(probe.streams[1].channels, 6);
  assert.equal(probe.streams[1].language, "eng");
  assert.equal(mainAudioStream(probe)?.index, 1);
});

Deno.test("keyframes are measured from the container's start time", () => {
  const probe = parseMediaProbe(JSON.stringify({
    ...SAMPLE,
    format: { ...SAMPLE.format, start_time: "1.400000" },
    packets: [
      { stream_index: 0, pts_time: "1.400000", flags: "K_" },
      { stream_index: 0, pts_time: "7.400000", flags: "K_" },
    ],
  }));
  assert.equal(probe.startSeconds, 1.4);
  assert.deepEqual(probe.keyframes.map((t) => Math.round(t * 1000)), [0, 6000]);
});

Deno.test("missing or odd fields are left out, not guessed", () => {
  const probe = parseMediaProbe(JSON.stringify({
    format: { duration: "N/A" },
    streams: [{ index: 0, codec_type: "video", r_frame_rate: "0/0", bit_rate: "N/A" }, "junk"],
  }));
  assert.equal(probe.durationSeconds, undefined);
  assert.equal(probe.format, "unknown");
  assert.deepEqual(probe.streams, [{
    index: 0,
    type: "video",
    codec: "unknown",
    isDefault: false,
    isPicture: false,
  }]);
});

Deno.test("what is not ffprobe JSON is a TranscodeError 422", () => {
  for (const text of ["", "{", "[]", "null", '{"streams":[]}', '{"format":7}']) {
    assert.throws(
      () => parseMediaProbe(text),
      (e) => e instanceof TranscodeError && e.status === 422,
      text,
    );
  }
});

/** Deterministic xorshift32, so failures replay. */
function random(seed: number) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

Deno.test("fuzz: mutated ffprobe JSON parses to a valid probe or a TranscodeError", () => {
  const rand = random(0x7ac0de);
  const oddValues: unknown[] = [
    null,
    -1,
    1e308,
    "1e999",
    "",
    " ",
    "NaN",
    [],
    {},
    "x".repeat(300),
    true,
    "-0.5",
  ];
  const base = JSON.stringify(SAMPLE);
  for (let i = 0; i < 3000; i++) {
    let text: string;
    if (rand() < 0.5) {
      // Structural mutation: replace a random leaf or object with an odd value.
      const value = JSON.parse(base);
      const paths: [Record<string, unknown>, string][] = [];
      const walk = (node: unknown) => {
        if (typeof node !== "object" || node === null) return;
        for (const key of Object.keys(node)) {
          paths.push([node as Record<string, unknown>, key]);
          walk((node as Record<string, unknown>)[key]);
        }
      };
      walk(value);
      for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) {
        const [parent, key] = paths[Math.floor(rand() * paths.length)];
        parent[key] = oddValues[Math.floor(rand() * oddValues.length)];
      }
      text = JSON.stringify(value);
    } else {
      // Byte mutation: flip, drop or insert characters.
      const chars = [...base];
      for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) {
        const at = Math.floor(rand() * chars.length);
        const op = rand();
        if (op < 0.33) chars.splice(at, 1);
        else if (op < 0.66) chars[at] = String.fromCharCode(32 + Math.floor(rand() * 95));
        else chars.splice(at, 0, '{}[]",:0'[Math.floor(rand() * 8)]);
      }
      text = chars.join("");
    }
    try {
      const probe = parseMediaProbe(text);
      assert.equal(typeof probe.format, "string");
      assert.ok(probe.durationSeconds === undefined || probe.durationSeconds > 0);
      assert.ok(Number.isFinite(probe.startSeconds));
      for (const s of probe.streams) {
        assert.ok(Number.isSafeInteger(s.index) && s.index >= 0);
        assert.equal(typeof s.codec, "string");
        for (const n of [s.bitRate, s.width, s.channels, s.frameRate]) {
          assert.ok(n === undefined || (Number.isFinite(n) && n >= 0));
        }
      }
      assert.ok(probe.keyframes.every((t, k, all) => t >= 0 && (k === 0 || all[k - 1] <= t)));
    } catch (error) {
      if (!(error instanceof TranscodeError)) {
        throw new Error(`iteration ${i} threw ${error} for ${text}`);
      }
    }
  }
});
