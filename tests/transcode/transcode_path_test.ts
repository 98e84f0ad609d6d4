import assert from "node:assert/strict";
import { parseTranscodePath } from "../../src/transcode/transcode_path.ts";
import { loopbackSourceUrl } from "../../src/transcode/source_url.ts";
import { TranscodeError } from "../../src/transcode/transcode_error.ts";

Deno.test("parseTranscodePath routes the four endpoints", () => {
  assert.deepEqual(parseTranscodePath("/3/probe"), { kind: "probe", index: 3 });
  assert.deepEqual(parseTranscodePath("/0/remux.ts"), { kind: "remux", index: 0 });
  assert.deepEqual(parseTranscodePath("/12/hls/index.m3u8"), { kind: "playlist", index: 12 });
  assert.deepEqual(parseTranscodePath("/3/hls/0.ts"), { kind: "segment", index: 3, segment: 0 });
  assert.deepEqual(parseTranscodePath("/3/hls/987654321.ts"), {
    kind: "segment",
    index: 3,
    segment: 987654321,
  });
});

Deno.test("parseTranscodePath leaves anything else (and any non-canonical number) alone", () => {
  for (
    const path of [
      "/3/movie.mkv",
      "/3/",
      "/probe",
      "/03/probe",
      "/-1/probe",
      "/+1/probe",
      "/1e3/probe",
      "/3/hls/01.ts",
      "/3/hls/-1.ts",
      "/3/hls/1.5.ts",
      "/3/hls/1234567890.ts",
      "/1234567890/probe",
      "/3/probe/",
      "/3/hls/index.m3u8x",
      "/3/hls/../probe",
      "/3/hls/%31.ts",
      "//3/probe",
      "/3/Probe",
    ]
  ) {
    assert.equal(parseTranscodePath(path), undefined, path);
  }
});

Deno.test("loopbackSourceUrl accepts only plain http on 127.0.0.1 or [::1]", () => {
  assert.equal(
    loopbackSourceUrl("http://127.0.0.1:8080/3/movie.mkv"),
    "http://127.0.0.1:8080/3/movie.mkv",
  );
  assert.equal(loopbackSourceUrl("http://[::1]:9/0/a b.mkv"), "http://[::1]:9/0/a%20b.mkv");
  for (
    const bad of [
      "https://127.0.0.1/0/a.mkv",
      "http://localhost/0/a.mkv",
      "http://127.0.0.2/0/a.mkv",
      "http://192.168.1.5/0/a.mkv",
      "http://example.com/0/a.mkv",
      "http://user:pw@127.0.0.1/0/a.mkv",
      "http://127.0.0.1.evil.com/0/a.mkv",
      "file:///etc/passwd",
      "ftp://127.0.0.1/a",
      "127.0.0.1:80/a",
      "not a url",
      "",
    ]
  ) {
    assert.throws(
      () => loopbackSourceUrl(bad),
      (e) => e instanceof TranscodeError && e.status === 500,
      bad,
    );
  }
});
