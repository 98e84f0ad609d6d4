/**
 * Process management for real: limits on ffmpeg processes, restart on a far seek, idle stop,
 * the cache cap, and close() while requests wait.
 */
import assert from "node:assert/strict";
import { createTranscoder } from "../../src/transcode/transcode_routes.ts";
import { waitFor, withTimeout } from "../support/process.ts";
import { childProcesses, isRunning } from "./child_processes.ts";
import { makeMedia } from "./media_fixtures.ts";
import { type RangeServer, serveRanges } from "./range_server.ts";
import { get, startApp, text, watchChildren } from "./transcode_app.ts";

const SECONDS = 60;

Deno.test("ffmpeg processes: limits, seeks, idling, cache cap, close", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "transcode-processes-" });
  try {
    const files = await Promise.all([
      makeMedia(dir, "mpeg4_mp2.avi", SECONDS),
      makeMedia(dir, "h264_ac3.mkv", SECONDS),
      makeMedia(dir, "h264_aac.mp4", SECONDS),
    ]);

    /** A transcoder over a source throttled to `rate`, torn down (and checked) after `body`. */
    const scenario = async (
      rate: number,
      options: Parameters<typeof createTranscoder>[0],
      body: (ctx: {
        base: string;
        watcher: ReturnType<typeof watchChildren>;
        transcoder: ReturnType<typeof createTranscoder>;
        source: RangeServer;
      }) => Promise<void>,
    ) => {
      const source = await serveRanges(files, rate);
      const needle = `127.0.0.1:${source.port}/`;
      const transcoder = createTranscoder({ cacheDir: dir, ...options });
      const app = startApp(transcoder, source);
      const watcher = watchChildren(needle);
      try {
        await body({ base: app.base, watcher, transcoder, source });
      } finally {
        await transcoder.close();
        await watcher.stop();
        await app.close();
        await source.close();
      }
      assert.deepEqual([...watcher.seen.keys()].filter(isRunning), [], "left running");
      assert.deepEqual(childProcesses(needle), []);
    };

    await t.step("never more than one ffmpeg per file, nor two in all", async () => {
      await scenario(4 << 20, {}, async ({ base, watcher }) => {
        // Three files at once, twice over (a seek in each): all answered, within the limits.
        for (const n of [2, 8]) {
          const answers = await Promise.all([0, 1, 2].map((i) => get(`${base}/${i}/hls/${n}.ts`)));
          for (const { status, body } of answers) assert.equal(status, 200, text(body));
        }
        assert.ok(watcher.seen.size >= 3, `only ${watcher.seen.size} ffmpeg runs`);
        assert.ok(watcher.maxInAll <= 2, `${watcher.maxInAll} ffmpeg at once`);
        assert.equal(watcher.maxPerFile, 1);
      });
    });

    await t.step("a seek far ahead restarts ffmpeg there", async () => {
      await scenario(300 << 10, { readAheadSegments: 100 }, async ({ base, watcher }) => {
        assert.equal((await get(`${base}/0/hls/0.ts`)).status, 200);
        const [first] = [...watcher.seen.keys()];
        assert.ok(isRunning(first), "the run from 0 goes on ahead");
        const far = await get(`${base}/0/hls/8.ts`);
        assert.equal(far.status, 200);
        assert.equal(isRunning(first), false, "the run from 0 was stopped");
        const commands = [...watcher.seen.values()];
        assert.ok(commands.some((c) => c.includes(" -ss 48.000000 ")), commands.join("\n"));
        assert.ok(commands.some((c) => c.includes(" -segment_start_number 8 ")));
      });
    });

    await t.step("an ffmpeg nobody asks anything of is stopped", async () => {
      await scenario(300 << 10, { idleMs: 400, readAheadSegments: 100 }, async (ctx) => {
        assert.equal((await get(`${ctx.base}/0/hls/0.ts`)).status, 200);
        const started = Date.now();
        const [run] = [...ctx.watcher.seen.keys()];
        // A stopped ffmpeg is a zombie (not running) a moment before its exit is reaped and the
        // transcoder forgets its pid: wait for both.
        await waitFor(() => !isRunning(run) && ctx.transcoder.pids.length === 0, {
          timeoutMs: 3000,
          what: "the idle ffmpeg to stop",
        });
        // Reading the whole file at this rate takes ~8 s: it was stopped, not done.
        assert.ok(Date.now() - started < 3000);
        assert.deepEqual(ctx.transcoder.pids, []);
        assert.equal((await get(`${ctx.base}/0/hls/9.ts`)).status, 200, "made on demand again");
        assert.ok(ctx.watcher.seen.size >= 2);
      });
    });

    await t.step("a request whose client leaves stops waiting (ctx.signal)", async () => {
      await scenario(150 << 10, { idleMs: 300 }, async ({ base, transcoder, watcher, source }) => {
        assert.equal((await get(`${base}/1/probe`)).status, 200);
        const controller = new AbortController();
        const answer = transcoder.handle(new Request(`${base}/1/hls/8.ts`), {
          sourceUrl: (i) => source.url(i),
          signal: controller.signal,
        });
        await waitFor(() => watcher.seen.size > 0, { timeoutMs: 10_000, what: "ffmpeg to start" });
        controller.abort();
        const response = (await withTimeout(answer, 2000, "the abandoned request"))!;
        assert.equal(response.status, 499);
        await response.body?.cancel();
        // Nobody waits now: the idle sweep stops the run long before it could finish.
        const [run] = [...watcher.seen.keys()];
        await waitFor(() => !isRunning(run), { timeoutMs: 3000, what: "the idle ffmpeg to stop" });
      });
    });

    await t.step("the segment cache stays within its cap", async () => {
      const cap = 500_000; // about two segments of the AVI as H.264
      await scenario(8 << 20, { cacheBytes: cap }, async ({ base }) => {
        let largest = 0;
        for (let n = 0; n < 10; n++) {
          const { status, body } = await get(`${base}/0/hls/${n}.ts`);
          assert.equal(status, 200);
          largest = Math.max(largest, body.length);
        }
        const root = [...Deno.readDirSync(dir)].find((e) =>
          e.name.startsWith("bittorrent-ts-transcode-")
        )!;
        const segments = [...Deno.readDirSync(`${dir}/${root.name}/segments`)];
        const bytes = segments.reduce(
          (sum, e) => sum + Deno.statSync(`${dir}/${root.name}/segments/${e.name}`).size,
          0,
        );
        assert.ok(segments.length >= 1 && segments.length < 10, `${segments.length} kept`);
        assert.ok(bytes <= cap, `${bytes} bytes cached`);
        assert.ok(largest > 0);
      });
    });

    await t.step("close() answers waiting requests and stops ffprobe and ffmpeg", async () => {
      await scenario(100 << 10, {}, async ({ base, transcoder, watcher }) => {
        // While ffprobe still reads (a slow download)…
        const probing = get(`${base}/1/probe`);
        await waitFor(() => transcoder.pids.length > 0, { timeoutMs: 5000, what: "ffprobe" });
        const probe = await withTimeout(probing, 20_000, "the probe");
        assert.equal(probe.status, 200, text(probe.body));
        // …and while a segment is being made.
        const waiting = get(`${base}/1/hls/5.ts`);
        await waitFor(() => watcher.seen.size > 0, { timeoutMs: 10_000, what: "ffmpeg to start" });
        await transcoder.close();
        const { status, body } = await withTimeout(waiting, 5000, "the waiting request");
        assert.equal(status, 503);
        assert.match(text(body), /closed/);
      });
      await scenario(10 << 10, {}, async ({ base, transcoder }) => {
        const probing = get(`${base}/1/probe`);
        await waitFor(() => transcoder.pids.length > 0, { timeoutMs: 5000, what: "ffprobe" });
        const [ffprobe] = transcoder.pids;
        await transcoder.close();
        assert.equal(isRunning(ffprobe), false);
        const { status, body } = await withTimeout(probing, 5000, "the probe");
        assert.equal(status, 503, text(body));
      });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
