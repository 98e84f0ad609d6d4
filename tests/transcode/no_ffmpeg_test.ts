import assert from "node:assert/strict";

Deno.test("without ffmpeg on PATH the endpoints answer 501 with a clear message", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-env",
      new URL("./no_ffmpeg_child.ts", import.meta.url).pathname,
    ],
    clearEnv: true,
    env: {
      PATH: "",
      NO_COLOR: "1",
      DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
    },
    stdin: "null",
  }).output();
  const err = new TextDecoder().decode(stderr);
  assert.equal(code, 0, err);
  const { available, answers } = JSON.parse(new TextDecoder().decode(stdout));
  assert.equal(available, false);
  for (const path of ["/0/probe", "/0/remux.ts", "/0/hls/index.m3u8", "/0/hls/3.ts"]) {
    assert.equal(answers[path].status, 501, path);
    assert.match(answers[path].body, /needs ffmpeg and ffprobe.*not found on PATH/, path);
  }
  assert.equal(answers["/0/a.mkv"], null, "other paths are left to the stream server");
});
