/**
 * Streaming while downloading: a real libtorrent seeder, rate-limited so the download takes a
 * while, and our client with --stream. Range requests (fetch and curl), ffprobe and ffmpeg read
 * the file through our server before the download is over.
 */
import assert from "node:assert/strict";
import { startLibtorrent } from "../support/libtorrent.ts";
import { startOurClient } from "../support/our_client.ts";
import { makeTorrent } from "../support/payload.ts";
import { waitFor, withTimeout } from "../support/process.ts";

async function run(cmd: string, args: string[], timeoutMs: number) {
  const out = await new Deno.Command(cmd, {
    args,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, text, stdout: out.stdout };
}

/** A 60 s H.264/AAC MP4 with its index (moov) at the end, as cameras write them. */
async function makeVideo(path: string) {
  const made = await run("ffmpeg", [
    "-v",
    "error",
    "-f",
    "lavfi",
    "-i",
    "testsrc=size=320x240:rate=25:duration=60",
    "-f",
    "lavfi",
    "-i",
    "sine=frequency=440:duration=60",
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-g",
    "50",
    "-b:v",
    "250k",
    "-c:a",
    "aac",
    "-b:a",
    "64k",
    "-shortest",
    path,
  ], 60_000);
  assert.equal(made.code, 0, made.text);
}

Deno.test("play and seek a video while it downloads: Range requests, ffprobe, ffmpeg -ss", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/seed`);
    await makeVideo(`${dir}/seed/movie.mp4`);
    const video = await Deno.readFile(`${dir}/seed/movie.mp4`);
    const torrent =
      (await makeTorrent(`${dir}/seed/movie.mp4`, { pieceLength: 32768, out: `${dir}/m.torrent` }))
        .path;
    // About 2.5 MB at 100 kB/s: the whole download would take ~25 s.
    const seed = await startLibtorrent({
      torrent,
      dir: `${dir}/seed`,
      mode: "seed",
      uploadRateLimit: 100_000,
    });
    const client = startOurClient([
      torrent,
      "--json",
      "--sequential",
      "--stream=0",
      "--out",
      `${dir}/dl`,
      "--port",
      "0",
      "--peer",
      `127.0.0.1:${seed.port}`,
    ]);
    try {
      // --json: one JSON object a line; the stream URL comes in a message event.
      const events = () =>
        client.output().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
      const url = (await waitFor(
        () => events().map((e) => /stream of movie\.mp4: (\S+)/.exec(e.text ?? "")).find(Boolean),
        { timeoutMs: 20_000, what: "the stream URL" },
      ))[1];
      const unfinished = () => seed.status().uploaded < video.length * 0.9;

      // The end first: with --sequential the download starts at the front, yet the last bytes
      // arrive long before the front reaches the middle.
      const tail = await withTimeout(
        fetch(url, { headers: { Range: `bytes=${video.length - 20_000}-` } }),
        20_000,
        "the tail",
      );
      assert.equal(tail.status, 206);
      assert.equal(
        tail.headers.get("content-range"),
        `bytes ${video.length - 20_000}-${video.length - 1}/${video.length}`,
      );
      assert.equal(tail.headers.get("content-type"), "video/mp4");
      assert.deepEqual(
        new Uint8Array(await tail.arrayBuffer()),
        video.subarray(video.length - 20_000),
      );
      assert.ok(
        seed.status().uploaded < video.length / 2,
        `tail served before the middle: ${seed.status().uploaded}`,
      );

      // ffprobe needs the index at the end of the file; ffmpeg seeks to the middle for a frame.
      const probe = await run("ffprobe", [
        "-v",
        "error",
        "-show_entries",
        "format=duration:stream=codec_name",
        "-of",
        "json",
        url,
      ], 30_000);
      assert.equal(probe.code, 0, probe.text);
      const info = JSON.parse(probe.text);
      assert.ok(Math.abs(Number(info.format.duration) - 60) < 1, probe.text);
      assert.deepEqual(info.streams.map((s: { codec_name: string }) => s.codec_name).sort(), [
        "aac",
        "h264",
      ]);
      const frame = await run("ffmpeg", [
        "-v",
        "error",
        "-ss",
        "30",
        "-i",
        url,
        "-frames:v",
        "1",
        "-f",
        "image2",
        "-y",
        `${dir}/frame.png`,
      ], 30_000);
      assert.equal(frame.code, 0, frame.text);
      assert.ok((await Deno.stat(`${dir}/frame.png`)).size > 1000);
      assert.ok(unfinished(), "all of this happened before the download finished");

      // Random ranges, checked byte for byte with curl, and an unsatisfiable one.
      let seed32 = 99;
      for (let i = 0; i < 4; i++) {
        seed32 = (seed32 * 1103515245 + 12345) & 0x7fffffff;
        const start = seed32 % (video.length - 5000);
        const got = await run("curl", ["-s", "-f", "-r", `${start}-${start + 4999}`, url], 30_000);
        assert.equal(got.code, 0, got.text);
        assert.deepEqual(got.stdout, video.subarray(start, start + 5000), `range at ${start}`);
      }
      const bad = await run("curl", [
        "-s",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "-r",
        `${video.length + 10}-`,
        url,
      ], 10_000);
      assert.equal(new TextDecoder().decode(bad.stdout), "416");
      const head = await run("curl", ["-s", "-I", url], 10_000);
      assert.match(head.text, /accept-ranges: bytes/i);
      assert.match(head.text, new RegExp(`content-length: ${video.length}`, "i"));

      // The seek latency is a product figure: --json reports it with the progress.
      const seek = await waitFor(
        () => events().find((e) => e.event === "progress" && e.stream?.lastSeekMs !== undefined),
        { timeoutMs: 5000, what: "a progress event with the seek latency" },
      );
      assert.ok(seek.stream.lastSeekMs > 0 && seek.stream.medianSeekMs > 0, JSON.stringify(seek));
    } finally {
      await client.stop();
      await seed.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
