/**
 * The transcoder for real: ffmpeg reading test media through a throttled loopback range server
 * (standing in for the stream server), answering over HTTP like it will when mounted.
 */
import assert from "node:assert/strict";
import { createTranscoder } from "../../src/transcode/transcode_routes.ts";
import { withTimeout } from "../support/process.ts";
import { childProcesses, isRunning } from "./child_processes.ts";
import { get, startApp, text, watchChildren } from "./transcode_app.ts";
import { countVideoFrames, decodeErrors, makeMedia, probeStreams } from "./media_fixtures.ts";
import { serveRanges } from "./range_server.ts";

const MEDIA_SECONDS = 60;
const SEGMENTS = 10;
const FRAME = 1 / 25;

Deno.test("HLS and remux over a throttled loopback source", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "transcode-test-" });
  try {
    const files = await Promise.all([
      makeMedia(dir, "h264_aac.mp4", MEDIA_SECONDS),
      makeMedia(dir, "mpeg4_mp2.avi", MEDIA_SECONDS),
      makeMedia(dir, "h264_ac3.mkv", MEDIA_SECONDS),
    ]);
    // The same H.264/AAC with its index at the end (no faststart): ffmpeg must seek for it.
    const tailIndex = `${dir}/tail_index.mp4`;
    await new Deno.Command("ffmpeg", {
      args: ["-nostdin", "-v", "error", "-i", files[0], "-c", "copy", tailIndex],
    }).output();
    const dts = await makeMedia(dir, "h264_dts.mkv", 8, [
      ...["-c:v", "libx264", "-preset", "veryfast", "-c:a", "dca", "-strict", "-2"],
    ]);
    const source = await serveRanges([...files, tailIndex, dts], 2 << 20);
    const needle = `127.0.0.1:${source.port}/`;
    const transcoder = createTranscoder({ cacheDir: dir, readAheadSegments: 1 });
    assert.equal(transcoder.available, true);
    const app = startApp(transcoder, source);
    const watcher = watchChildren(needle);
    // Where segment 0's video starts: ffmpeg's MPEG-TS muxer adds a constant delay.
    const origins = new Map<number, number>();
    try {
      await t.step("probe reports duration, codecs, bit rates and the plans", async () => {
        const expected = [
          { codecs: ["h264", "aac"], hls: ["copy", "copy"], remux: ["copy", "copy"] },
          { codecs: ["mpeg4", "mp2"], hls: ["h264", "aac"], remux: ["copy", "copy"] },
          { codecs: ["h264", "ac3"], hls: ["h264", "aac"], remux: ["copy", "copy"] },
          { codecs: ["h264", "aac"], hls: ["copy", "copy"], remux: ["copy", "copy"] },
          { codecs: ["h264", "dts"], hls: ["h264", "aac"], remux: ["copy", "ac3"] },
        ];
        for (const [index, want] of expected.entries()) {
          const { status, body, type } = await get(`${app.base}/${index}/probe`);
          assert.equal(status, 200, text(body));
          assert.match(type, /^application\/json/);
          const probe = JSON.parse(text(body));
          const duration = index === 4 ? 8 : MEDIA_SECONDS;
          assert.ok(
            Math.abs(probe.durationSeconds - duration) < 0.1,
            String(probe.durationSeconds),
          );
          assert.deepEqual(probe.streams.map((s: { codec: string }) => s.codec), want.codecs);
          assert.ok(probe.bitRate > 0 && probe.streams[1].bitRate > 0);
          assert.deepEqual(
            probe.hls.streams.map((s: { conversion: string }) => s.conversion),
            want.hls,
          );
          assert.deepEqual(
            probe.remux.map((s: { conversion: string }) => s.conversion),
            want.remux,
          );
        }
      });

      await t.step("the playlist parses: VOD, ten 6 s segments", async () => {
        for (const index of [0, 1, 2, 3]) {
          const { status, body, type } = await get(`${app.base}/${index}/hls/index.m3u8`);
          assert.equal(status, 200);
          assert.equal(type, "application/vnd.apple.mpegurl");
          const lines = text(body).trim().split("\n");
          assert.equal(lines[0], "#EXTM3U");
          assert.ok(lines.includes("#EXT-X-PLAYLIST-TYPE:VOD"));
          assert.equal(lines.at(-1), "#EXT-X-ENDLIST");
          const uris = lines.filter((l) => !l.startsWith("#"));
          assert.deepEqual(uris, Array.from({ length: SEGMENTS }, (_, n) => `${n}.ts`));
          const durations = lines.filter((l) => l.startsWith("#EXTINF:")).map((l) =>
            parseFloat(l.slice(8))
          );
          const total = durations.reduce((a, b) => a + b, 0);
          assert.ok(Math.abs(total - MEDIA_SECONDS) < 0.1, String(total));
        }
      });

      await t.step(
        "segment 0 and the one at 75% are H.264/AAC at the file's own times",
        async () => {
          for (const index of [0, 1, 2, 3]) {
            for (const n of [0, 7]) {
              const { status, body, type } = await get(`${app.base}/${index}/hls/${n}.ts`);
              assert.equal(status, 200, `file ${index} segment ${n}: ${text(body.slice(0, 200))}`);
              assert.equal(type, "video/mp2t");
              const path = `${dir}/seg-${index}-${n}.ts`;
              await Deno.writeFile(path, body);
              const { codecs, startTimes, duration } = await probeStreams(path);
              assert.deepEqual(codecs, ["h264", "aac"], `file ${index} segment ${n}`);
              if (n === 0) origins.set(index, startTimes[0]);
              if (n === 0) assert.ok(startTimes[0] > 1 && startTimes[0] < 2, `${startTimes[0]}`);
              assert.ok(
                Math.abs(startTimes[0] - origins.get(index)! - 6 * n) < FRAME,
                `file ${index} segment ${n} video starts at ${startTimes[0]}`,
              );
              assert.ok(Math.abs(duration - 6) < 0.2, `file ${index} segment ${n}: ${duration} s`);
            }
          }
        },
      );

      await t.step("segments from different ffmpeg runs join without a gap", async () => {
        // readAheadSegments 1: runs stop early, so 0-1, 7-8 and then 2-… come from three runs.
        for (const index of [0, 1, 2]) {
          for (let n = 0; n < SEGMENTS; n++) {
            const { status, body } = await get(`${app.base}/${index}/hls/${n}.ts`);
            assert.equal(status, 200);
            await Deno.writeFile(`${dir}/one.ts`, body);
            const { startTimes } = await probeStreams(`${dir}/one.ts`);
            assert.ok(
              Math.abs(startTimes[0] - origins.get(index)! - 6 * n) < FRAME,
              `file ${index} segment ${n} starts at ${startTimes[0]}`,
            );
          }
          // Played as a whole (all from the cache now): every frame once, no decoding error.
          const playlist = `${app.base}/${index}/hls/index.m3u8`;
          assert.equal(await decodeErrors(playlist), "", `file ${index}`);
          assert.equal(await countVideoFrames(playlist), MEDIA_SECONDS * 25, `file ${index}`);
        }
      });

      await t.step("ffmpeg plays the playlist URL without a decoding error", async () => {
        for (const index of [0, 1, 2, 3]) {
          const errors = await withTimeout(
            decodeErrors(`${app.base}/${index}/hls/index.m3u8`, 5),
            30_000,
            "decoding the playlist",
          );
          assert.equal(errors, "", `file ${index}`);
        }
      });

      await t.step("remux.ts of the MKV copies H.264/AC-3 and decodes", async () => {
        const { status, body, type } = await get(`${app.base}/2/remux.ts`);
        assert.equal(status, 200);
        assert.equal(type, "video/mp2t");
        await Deno.writeFile(`${dir}/remux.ts`, body);
        const { codecs, duration } = await probeStreams(`${dir}/remux.ts`);
        assert.deepEqual(codecs, ["h264", "ac3"]);
        assert.ok(Math.abs(duration - MEDIA_SECONDS) < 0.2, String(duration));
        assert.equal(await decodeErrors(`${dir}/remux.ts`), "");
      });

      await t.step("remux.ts converts DTS to AC-3 and keeps the rest", async () => {
        const { status, body } = await get(`${app.base}/4/remux.ts`);
        assert.equal(status, 200);
        await Deno.writeFile(`${dir}/remux-dts.ts`, body);
        assert.deepEqual((await probeStreams(`${dir}/remux-dts.ts`)).codecs, ["h264", "ac3"]);
        assert.equal(await decodeErrors(`${dir}/remux-dts.ts`), "");
      });

      await t.step("a client leaving remux.ts stops its ffmpeg", async () => {
        const controller = new AbortController();
        const response = await fetch(`${app.base}/1/remux.ts`, { signal: controller.signal });
        const reader = response.body!.getReader();
        await reader.read();
        const running = childProcesses(needle);
        assert.equal(running.length, 1);
        controller.abort();
        await reader.cancel().catch(() => {});
        await withTimeout(
          (async () => {
            while (isRunning(running[0].pid)) await new Promise((r) => setTimeout(r, 20));
          })(),
          5000,
          "remux ffmpeg to stop",
        );
      });

      await t.step("bad requests get clear answers", async () => {
        let r = await get(`${app.base}/9/probe`);
        assert.equal(r.status, 404);
        assert.match(text(r.body), /no file with index 9/);
        r = await get(`${app.base}/1/hls/10.ts`);
        assert.equal(r.status, 404);
        assert.match(text(r.body), /no segment 10/);
        r = await get(`${app.base}/1/hls/01.ts`);
        assert.equal(r.status, 404);
        assert.equal(text(r.body), "not a transcoding path");
        const post = await fetch(`${app.base}/1/probe`, { method: "POST" });
        assert.equal(post.status, 405);
        await post.body?.cancel();
        const head = await fetch(`${app.base}/1/remux.ts`, { method: "HEAD" });
        assert.equal(head.status, 200);
        assert.equal(head.headers.get("content-type"), "video/mp2t");
      });
    } finally {
      await transcoder.close();
      await watcher.stop();
      await app.close();
      await source.close();
    }
    await t.step("close() stopped every ffmpeg it started and removed its cache", async () => {
      assert.ok(watcher.seen.size >= 10, `saw ${watcher.seen.size} ffmpeg processes`);
      assert.deepEqual([...watcher.seen.keys()].filter(isRunning), []);
      assert.deepEqual(childProcesses(needle), []);
      const left = [...Deno.readDirSync(dir)].filter((e) =>
        e.name.startsWith("bittorrent-ts-transcode-")
      );
      assert.deepEqual(left, []);
      assert.deepEqual(transcoder.pids, []);
      const after = await transcoder.handle(
        new Request("http://x/0/probe"),
        { sourceUrl: () => "http://127.0.0.1:1/0/a.mp4" },
      );
      assert.equal(after?.status, 503);
      await after?.body?.cancel();
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
