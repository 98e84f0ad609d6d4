/**
 * Live transcoding while a torrent downloads from a real, rate-limited libtorrent seeder: HLS of
 * an AVI (MPEG-4 Part 2 + MP2, so ffmpeg must transcode), a remux of an MKV with AC-3, and the
 * 501 answers when ffmpeg is missing. Media is made with ffmpeg's lavfi sources.
 */
import assert from "node:assert/strict";
import { startLibtorrent } from "../support/libtorrent.ts";
import { startOurClient } from "../support/our_client.ts";
import { makeTorrent, sameTree } from "../support/payload.ts";
import { spawnTracked, waitFor, withTimeout } from "../support/process.ts";
import { decodeErrors, makeMedia, probeStreams } from "../transcode/media_fixtures.ts";

interface IndexJson {
  sources: { files: { index: number; path: string; url: string }[] }[];
}

/** PIDs of processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const cmdline = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).replaceAll("\0", " ");
      if (cmdline.includes(text) && !cmdline.includes("deno")) pids.push(Number(entry.name));
    } catch { /* gone */ }
  }
  return pids;
}

Deno.test("HLS and remux from a torrent still downloading; no ffmpeg left behind", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/seed/videos`, { recursive: true });
    await makeMedia(`${dir}/seed/videos`, "mpeg4_mp2.avi", 60);
    await makeMedia(`${dir}/seed/videos`, "h264_ac3.mkv", 60);
    const torrent =
      (await makeTorrent(`${dir}/seed/videos`, { pieceLength: 32768, out: `${dir}/v.torrent` }))
        .path;
    let total = 0;
    for (const f of Deno.readDirSync(`${dir}/seed/videos`)) {
      total += Deno.statSync(`${dir}/seed/videos/${f.name}`).size;
    }
    const seed = await startLibtorrent({
      torrent,
      dir: `${dir}/seed`,
      mode: "seed",
      uploadRateLimit: 120_000,
    });
    const client = startOurClient([
      torrent,
      "--no-tui",
      "--stream=0",
      "--out",
      `${dir}/dl`,
      "--port",
      "0",
      "--peer",
      `127.0.0.1:${seed.port}`,
    ]);
    let port = "";
    try {
      const root = (await waitFor(() => /streaming on (\S+)/.exec(client.output()), {
        timeoutMs: 20_000,
        what: "the stream server",
      }))[1];
      port = new URL(root).port;
      const index: IndexJson = await (await fetch(`${root}index.json`)).json();
      const files = index.sources[0].files;
      const avi = files.find((f) => f.path.endsWith(".avi"))!;
      const mkv = files.find((f) => f.path.endsWith(".mkv"))!;
      const base = (f: { url: string }) => f.url.replace(/\/[^/]*$/, "");

      // The playlist covers the whole minute in ~6 s segments.
      const playlist =
        await (await withTimeout(fetch(`${base(avi)}/hls/index.m3u8`), 30_000, "the playlist"))
          .text();
      assert.match(playlist, /^#EXTM3U/);
      const segments = playlist.split("\n").filter((l) => l.endsWith(".ts"));
      assert.ok(segments.length >= 9 && segments.length <= 11, playlist);
      // A segment at 75%, transcoded to H.264/AAC, before the download is over.
      const k = Math.floor(segments.length * 0.75);
      const segment = await withTimeout(
        fetch(`${base(avi)}/hls/${segments[k]}`),
        60_000,
        "the 75% segment",
      );
      assert.equal(segment.status, 200);
      await Deno.writeFile(`${dir}/seg.ts`, new Uint8Array(await segment.arrayBuffer()));
      assert.deepEqual((await probeStreams(`${dir}/seg.ts`)).codecs.sort(), ["aac", "h264"]);
      assert.ok(
        seed.status().uploaded < total,
        "the 75% segment came before the download finished",
      );
      assert.equal(
        await decodeErrors(`${base(avi)}/hls/index.m3u8`, 5),
        "",
        "the HLS stream decodes",
      );

      // The MKV's remux: H.264 copied, AC-3 kept (MPEG-TS carries both).
      const remux = spawnTracked("curl", [
        "-s",
        "--max-time",
        "15",
        "-o",
        `${dir}/remux.ts`,
        `${base(mkv)}/remux.ts`,
      ]);
      await remux.child.status;
      await remux.stop();
      const probed = await probeStreams(`${dir}/remux.ts`);
      assert.deepEqual(probed.codecs.sort(), ["ac3", "h264"]);
      assert.equal(await decodeErrors(`${dir}/remux.ts`), "");
    } finally {
      await client.stop();
      await seed.stop();
    }
    assert.deepEqual(processesMentioning(`127.0.0.1:${port}`), [], "no ffmpeg outlives the client");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("without ffmpeg, the transcoding endpoints answer 501 and the download still completes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/seed`);
    await makeMedia(`${dir}/seed`, "h264_aac.mp4", 10);
    const torrent = (await makeTorrent(`${dir}/seed/h264_aac.mp4`, {
      pieceLength: 32768,
      out: `${dir}/a.torrent`,
    })).path;
    const seed = await startLibtorrent({
      torrent,
      dir: `${dir}/seed`,
      mode: "seed",
      uploadRateLimit: 200_000,
    });
    try {
      // Our client runs with an empty PATH, so it cannot find ffmpeg.
      const client = spawnTracked(Deno.execPath(), [
        "run",
        "-A",
        new URL("../../mod.ts", import.meta.url).pathname,
        torrent,
        "--no-tui",
        "--no-dht",
        "--stream=0",
        "--out",
        `${dir}/dl`,
        "--port",
        "0",
        "--peer",
        `127.0.0.1:${seed.port}`,
      ], { env: { PATH: "", NO_COLOR: "1" } });
      try {
        const url = (await waitFor(() => /stream of \S+: (\S+)/.exec(client.output()), {
          timeoutMs: 20_000,
          what: "the stream URL",
        }))[1];
        const base = url.replace(/\/[^/]*$/, "");
        for (const path of ["probe", "hls/index.m3u8", "remux.ts"]) {
          const response = await fetch(`${base}/${path}`);
          assert.equal(response.status, 501, path);
          assert.match(await response.text(), /ffmpeg/);
        }
        const status = await withTimeout(client.child.status, 60_000, "the download");
        assert.equal(status.code, 0, client.output());
      } finally {
        await client.stop();
      }
      await sameTree(`${dir}/seed/h264_aac.mp4`, `${dir}/dl/h264_aac.mp4`);
    } finally {
      await seed.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
