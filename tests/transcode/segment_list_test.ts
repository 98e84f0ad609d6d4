import assert from "node:assert/strict";
import { parseSegmentList } from "../../src/transcode/segment_list.ts";

Deno.test("parseSegmentList reads ffmpeg's csv list of finished segments", () => {
  const text = "/tmp/x/run1/7.ts,0.000000,6.080000\n/tmp/x/run1/8.ts,6.080000,12.080000\n";
  assert.deepEqual(parseSegmentList(text), [
    { segment: 7, startSeconds: 0, endSeconds: 6.08 },
    { segment: 8, startSeconds: 6.08, endSeconds: 12.08 },
  ]);
});

Deno.test("a line still being written, or not one of ours, is skipped", () => {
  assert.deepEqual(parseSegmentList(""), []);
  assert.deepEqual(parseSegmentList("/r/0.ts,0.000000,6.0"), []);
  assert.deepEqual(parseSegmentList("/r/0.ts,0.000000,6.000000\n/r/1.ts,6.0"), [
    { segment: 0, startSeconds: 0, endSeconds: 6 },
  ]);
  assert.deepEqual(
    parseSegmentList('/r/x.ts,0,1\n/r/01.ts,0,1\n/r/2.mp4,0,1\n"/r/3.ts",0,1\n/r/4.ts,a,b\n'),
    [],
  );
});
