import assert from "node:assert/strict";
import { startStreamServer, type StreamServer } from "../../src/stream/stream_server.ts";
import { StreamServerError } from "../../src/stream/stream_server_error.ts";
import { waitFor, withTimeout } from "../support/process.ts";
import { fakeSource, patternBytes } from "./fake_source.ts";

const MOVIE = patternBytes(300_000, 1);
const SUBS = patternBytes(5_000, 2);

function movieSource(options: Parameters<typeof fakeSource>[2] = {}) {
  return fakeSource("Film (2001)", [
    { path: "Film (2001)/Film (2001).mkv", data: MOVIE },
    { path: "Film (2001)/Amélie ♥.srt", data: SUBS, index: 4 },
    { path: "Film (2001)/empty.txt", data: new Uint8Array(0), index: 5 },
  ], options);
}

async function withServer(
  source: ReturnType<typeof movieSource>,
  fn: (server: StreamServer) => Promise<void>,
) {
  const server = startStreamServer({ source });
  try {
    await fn(server);
  } finally {
    await withTimeout(server.close(), 5000, "stream server close");
  }
}

const get = (url: string, init: RequestInit = {}) =>
  withTimeout(fetch(url, init), 5000, `fetch ${url}`);
const bytesOf = async (response: Response) =>
  new Uint8Array(await withTimeout(response.arrayBuffer(), 5000, "response body"));

Deno.test("server: full GET streams the whole file with the right headers", async () => {
  const source = movieSource();
  await withServer(source, async (server) => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const url = server.fileUrl(source, 0);
    assert.equal(url, `${server.url}0/Film%20(2001).mkv`);
    const response = await get(url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("accept-ranges"), "bytes");
    assert.equal(response.headers.get("content-type"), "video/x-matroska");
    assert.equal(response.headers.get("content-length"), String(MOVIE.length));
    assert.equal(response.headers.get("content-range"), null);
    assert.equal(
      response.headers.get("content-disposition"),
      `inline; filename="Film (2001).mkv"; filename*=UTF-8''Film%20%282001%29.mkv`,
    );
    assert.deepEqual(await bytesOf(response), MOVIE);
    assert.deepEqual(source.reads.map((r) => [r.start, r.end]), [[0, MOVIE.length]]);
  });
});

Deno.test("server: Range requests answer 206 with exactly the asked bytes", async () => {
  const source = movieSource();
  await withServer(source, async (server) => {
    const url = server.fileUrl(source, 0);
    const cases: [string, number, number][] = [
      ["bytes=100-199", 100, 200],
      ["bytes=250000-", 250_000, MOVIE.length],
      ["bytes=-1000", MOVIE.length - 1000, MOVIE.length],
      ["bytes=299999-400000", 299_999, MOVIE.length],
    ];
    for (const [range, start, end] of cases) {
      const response = await get(url, { headers: { range } });
      assert.equal(response.status, 206, range);
      assert.equal(
        response.headers.get("content-range"),
        `bytes ${start}-${end - 1}/${MOVIE.length}`,
      );
      assert.equal(response.headers.get("content-length"), String(end - start));
      assert.deepEqual(await bytesOf(response), MOVIE.slice(start, end), range);
    }
    const stats = server.stats();
    assert.equal(stats.seeks, cases.length);
    assert.ok(stats.lastSeekMs !== undefined && stats.lastSeekMs >= 0);
    assert.ok(stats.medianSeekMs !== undefined && stats.medianSeekMs >= 0);
    assert.equal(stats.activeStreams, 0);
  });
});

Deno.test("server: unsatisfiable ranges get 416, malformed and multiple ranges get 200", async () => {
  const source = movieSource();
  await withServer(source, async (server) => {
    const url = server.fileUrl(source, 0);
    for (const range of ["bytes=300000-", "bytes=999999-1000000", "bytes=-0"]) {
      const response = await get(url, { headers: { range } });
      assert.equal(response.status, 416, range);
      assert.equal(response.headers.get("content-range"), `bytes */${MOVIE.length}`);
      assert.equal((await bytesOf(response)).length, 0);
    }
    for (const range of ["bytes=9-1", "pages=1-2", "bytes=0-1,5-6"]) {
      const response = await get(url, { headers: { range } });
      assert.equal(response.status, 200, range);
      assert.equal((await bytesOf(response)).length, MOVIE.length, range);
    }
    const empty = await get(server.fileUrl(source, 5), { headers: { range: "bytes=0-" } });
    assert.equal(empty.status, 416);
    assert.equal(empty.headers.get("content-range"), "bytes */0");
    await empty.body?.cancel();
    const emptyFull = await get(server.fileUrl(source, 5));
    assert.equal(emptyFull.status, 200);
    assert.equal((await bytesOf(emptyFull)).length, 0);
    // If-Range cannot match (we send no validators), so the Range is ignored
    const ifRange = await get(url, { headers: { range: "bytes=0-9", "if-range": '"x"' } });
    assert.equal(ifRange.status, 200);
    await ifRange.body?.cancel();
  });
});

Deno.test("server: HEAD has the GET headers, no body, and opens no source stream", async () => {
  const source = movieSource();
  await withServer(source, async (server) => {
    const response = await get(server.fileUrl(source, 0), {
      method: "HEAD",
      headers: { range: "bytes=10-19" },
    });
    assert.equal(response.status, 206);
    assert.equal(response.headers.get("content-length"), "10");
    assert.equal(response.headers.get("content-range"), `bytes 10-19/${MOVIE.length}`);
    assert.equal((await bytesOf(response)).length, 0);
    assert.equal(source.reads.length, 0);
  });
});

Deno.test("server: a client that aborts mid-body cancels the source stream", async () => {
  const source = movieSource({ chunkSize: 4096, delayMs: 5 });
  await withServer(source, async (server) => {
    const abort = new AbortController();
    const response = await get(server.fileUrl(source, 0), {
      headers: { range: "bytes=1000-" },
      signal: abort.signal,
    });
    const reader = response.body!.getReader();
    const first = await withTimeout(reader.read(), 5000, "first chunk");
    assert.deepEqual(first.value!.slice(0, 16), MOVIE.slice(1000, 1016));
    assert.equal(server.stats().activeStreams, 1);
    abort.abort();
    await reader.cancel().catch(() => {});
    await waitFor(() => source.reads[0].cancelled, { timeoutMs: 3000, what: "source cancel" });
    assert.ok(source.reads[0].delivered < MOVIE.length - 1000, "the download did not run on");
    await waitFor(() => server.stats().activeStreams === 0, {
      timeoutMs: 3000,
      what: "no streams",
    });
  });
});

Deno.test("server: a seek while waiting for undownloaded bytes cancels that wait", async () => {
  // Bytes past 50 000 are "not downloaded": the request hangs until the player gives up.
  const source = movieSource({ availableBytes: 50_000 });
  await withServer(source, async (server) => {
    const abort = new AbortController();
    const pending = get(server.fileUrl(source, 0), {
      headers: { range: "bytes=200000-" },
      signal: abort.signal,
    });
    const response = await pending;
    assert.equal(response.status, 206);
    await waitFor(() => source.reads.length === 1, { timeoutMs: 3000, what: "source read" });
    abort.abort();
    await response.body?.cancel().catch(() => {});
    await waitFor(() => source.reads[0].cancelled, { timeoutMs: 3000, what: "source cancel" });
    assert.equal(source.reads[0].delivered, 0);
    // the player's next request, at downloaded bytes, is served at once
    const next = await get(server.fileUrl(source, 0), { headers: { range: "bytes=0-99" } });
    assert.deepEqual(await bytesOf(next), MOVIE.slice(0, 100));
  });
});

Deno.test("server: close() ends open bodies (their sources are cancelled) and is quick", async () => {
  const source = movieSource({ availableBytes: 10_000 });
  const server = startStreamServer({ source });
  const response = await get(server.fileUrl(source, 0), { headers: { range: "bytes=20000-" } });
  await waitFor(() => source.reads.length === 1, { timeoutMs: 3000, what: "source read" });
  const started = performance.now();
  await withTimeout(server.close(), 3000, "close with a stalled body");
  assert.ok(performance.now() - started < 1000);
  assert.ok(source.reads[0].cancelled);
  await assert.rejects(response.arrayBuffer());
  await server.close(); // idempotent
});

Deno.test("server: concurrent requests each get their own bytes", async () => {
  const source = movieSource({ chunkSize: 8192, delayMs: 1 });
  await withServer(source, async (server) => {
    const url = server.fileUrl(source, 0);
    const ranges = Array.from({ length: 8 }, (_, i) => [i * 30_000, i * 30_000 + 25_000]);
    const bodies = await Promise.all(
      ranges.map(([s, e]) => get(url, { headers: { range: `bytes=${s}-${e - 1}` } }).then(bytesOf)),
    );
    ranges.forEach(([s, e], i) => assert.deepEqual(bodies[i], MOVIE.slice(s, e)));
    assert.equal(source.reads.length, 8);
    assert.equal(server.stats().seeks, 8);
  });
});

Deno.test("server: index.json and the HTML index list every file", async () => {
  const source = movieSource();
  await withServer(source, async (server) => {
    const json = await (await get(`${server.url}index.json`)).json();
    assert.equal(json.sources.length, 1);
    assert.equal(json.sources[0].name, "Film (2001)");
    assert.deepEqual(
      json.sources[0].files.map((
        f: { index: number; url: string; mime: string; length: number },
      ) => [f.index, f.url, f.mime, f.length]),
      [
        [0, server.fileUrl(source, 0), "video/x-matroska", MOVIE.length],
        [4, server.fileUrl(source, 4), "application/x-subrip", SUBS.length],
        [5, server.fileUrl(source, 5), "text/plain; charset=utf-8", 0],
      ],
    );
    const html = await (await get(server.url)).text();
    assert.ok(html.includes(`<a href="/4/Am%C3%A9lie%20%E2%99%A5.srt">`), html);
    assert.ok(html.includes("Film (2001)/Amélie ♥.srt"), html);
  });
});

Deno.test("server: unicode and space names are served; unknown index is 404, POST is 405", async () => {
  const source = movieSource();
  await withServer(source, async (server) => {
    const subs = await get(server.fileUrl(source, 4));
    assert.equal(subs.status, 200);
    assert.equal(
      subs.headers.get("content-disposition"),
      `inline; filename="Am_lie _.srt"; filename*=UTF-8''Am%C3%A9lie%20%E2%99%A5.srt`,
    );
    assert.deepEqual(await bytesOf(subs), SUBS);
    // the name part is decorative: the index selects the file
    const bare = await get(`${server.url}4`);
    assert.deepEqual(await bytesOf(bare), SUBS);
    for (const path of ["1/x.mkv", "99/x", "abc/x", "0x0/x", "-1/x", "99999999999999/x", "a/b/c"]) {
      const response = await get(server.url + path);
      assert.equal(response.status, 404, path);
      await response.body?.cancel();
    }
    const post = await get(server.fileUrl(source, 0), { method: "POST", body: "x" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD");
    await post.body?.cancel();
    const del = await get(`${server.url}index.json`, { method: "DELETE" });
    assert.equal(del.status, 405);
    await del.body?.cancel();
  });
});

Deno.test("server: several sources are served under their ids", async () => {
  const a = fakeSource("A", [{ path: "a.mp4", data: patternBytes(1000, 3) }]);
  const b = fakeSource("B", [{ path: "b.mp3", data: patternBytes(2000, 4) }]);
  const server = startStreamServer({
    sources: [{ id: "aa11", source: a }, { id: "bb22", source: b }],
  });
  try {
    assert.equal(server.fileUrl(b, 0), `${server.url}bb22/0/b.mp3`);
    assert.deepEqual(await bytesOf(await get(server.fileUrl(a, 0))), a.bytesOf(0));
    const response = await get(server.fileUrl(b, 0), { headers: { range: "bytes=10-19" } });
    assert.deepEqual(await bytesOf(response), b.bytesOf(0).slice(10, 20));
    const missing = await get(`${server.url}0/a.mp4`);
    assert.equal(missing.status, 404);
    await missing.body?.cancel();
    const json = await (await get(`${server.url}index.json`)).json();
    assert.deepEqual(json.sources.map((s: { id: string }) => s.id), ["aa11", "bb22"]);
    assert.throws(() => server.fileUrl(movieSource(), 0), StreamServerError);
  } finally {
    await server.close();
  }
  assert.throws(() => startStreamServer({ sources: [] }), StreamServerError);
  assert.throws(
    () => startStreamServer({ sources: [{ id: "x", source: a }, { id: "x", source: b }] }),
    /duplicate/,
  );
  assert.throws(() => startStreamServer({ sources: [{ id: "a/b", source: a }] }), /invalid/);
});

Deno.test("server: a busy port and a bad port are clear errors; signal closes", async () => {
  const source = movieSource();
  const first = startStreamServer({ source });
  try {
    assert.throws(() => startStreamServer({ source, port: first.port }), (error: unknown) => {
      assert.ok(error instanceof StreamServerError);
      assert.match(error.message, new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${first.port}: `));
      return true;
    });
  } finally {
    await first.close();
  }
  assert.throws(() => startStreamServer({ source, port: 70000 }), StreamServerError);
  const controller = new AbortController();
  const server = startStreamServer({ source, signal: controller.signal });
  controller.abort();
  await withTimeout(server.close(), 3000, "close after abort");
  await assert.rejects(fetch(server.url));
});

Deno.test("server: bodies hold to Content-Length whatever the source does", async () => {
  let cancelled = 0;
  const bytes = patternBytes(1000, 7);
  const misbehaving = {
    name: "odd",
    files: [{ index: 0, path: "long.bin", length: 1000 }, {
      index: 1,
      path: "short.bin",
      length: 1000,
    }],
    read(fileIndex: number, start: number, end: number) {
      // file 0 runs on past `end` to the end of the data; file 1 stops 10 bytes short
      let position = start;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          const limit = fileIndex === 1 ? end - 10 : bytes.length;
          if (position >= limit) return controller.close();
          controller.enqueue(new Uint8Array(0)); // empty chunks are skipped
          controller.enqueue(bytes.slice(position, Math.min(position + 300, limit)));
          position += 300;
        },
        cancel() {
          cancelled++;
        },
      }, { highWaterMark: 0 });
    },
  };
  const server = startStreamServer({ source: misbehaving });
  try {
    const long = await get(`${server.url}0/long.bin`, { headers: { range: "bytes=100-549" } });
    assert.deepEqual(await bytesOf(long), bytes.slice(100, 550));
    await waitFor(() => cancelled === 1, { timeoutMs: 3000, what: "over-long source cancelled" });
    const short = await get(`${server.url}1/short.bin`);
    await assert.rejects(withTimeout(short.arrayBuffer(), 3000, "short body"));
    await waitFor(() => server.stats().activeStreams === 0, {
      timeoutMs: 3000,
      what: "no streams",
    });
  } finally {
    await server.close();
  }
});
