/**
 * A real player's HTTP client against the stream server: ffmpeg (libavformat, which mpv uses for
 * http) opens a video that is still "downloading", reads its index, seeks into it with a new Range
 * request and drops the first connection, which must cancel that source stream.
 */
import assert from "node:assert/strict";
import { startStreamServer } from "../../src/stream/stream_server.ts";
import { spawnTracked, waitFor, withTimeout } from "../support/process.ts";
import { fakeSource } from "./fake_source.ts";

async function run(cmd: string, args: string[], what: string): Promise<string> {
  const process = spawnTracked(cmd, args);
  try {
    const { code } = await withTimeout(process.child.status, 15_000, what);
    assert.equal(code, 0, `${what} failed:\n${process.output()}`);
    return process.output();
  } finally {
    await process.stop();
  }
}

Deno.test("ffmpeg: opens, seeks by Range into a slowly arriving mp4, and the dropped stream is cancelled", async () => {
  const dir = await Deno.makeTempDir({ prefix: "stream_ffmpeg_" });
  try {
    const movie = `${dir}/movie.mp4`;
    await run("ffmpeg", [
      "-v",
      "error",
      "-f",
      "lavfi",
      "-i",
      "testsrc=duration=10:size=640x360:rate=25",
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-g",
      "25",
      "-movflags",
      "+faststart",
      "-y",
      movie,
    ], "ffmpeg encode");
    const data = await Deno.readFile(movie);
    // 16 KiB every 5 ms: the whole file would take ~100 ms, far longer than a seek should.
    const source = fakeSource("movie", [{ path: "movie.mp4", data }], {
      chunkSize: 16 * 1024,
      delayMs: 5,
    });
    const server = startStreamServer({ source });
    try {
      await run("ffmpeg", [
        "-v",
        "error",
        "-ss",
        "8",
        "-i",
        server.fileUrl(source, 0),
        "-frames:v",
        "1",
        "-f",
        "null",
        "-",
      ], "ffmpeg seek and decode");
      const [first, ...later] = source.reads;
      assert.equal(first.start, 0);
      assert.ok(later.some((r) => r.start > data.length / 2), JSON.stringify(source.reads));
      await waitFor(() => first.cancelled, { timeoutMs: 3000, what: "first stream cancelled" });
      assert.ok(first.delivered < data.length, "the stream before the seek did not run on");
      await waitFor(() => server.stats().activeStreams === 0, {
        timeoutMs: 3000,
        what: "all streams closed",
      });
      const stats = server.stats();
      assert.equal(stats.seeks, source.reads.length);
      assert.ok(stats.medianSeekMs! >= 0 && stats.medianSeekMs! < 1000, JSON.stringify(stats));
      console.log(`ffmpeg seek: ${JSON.stringify(stats)}, reads ${JSON.stringify(source.reads)}`);
    } finally {
      await server.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
