/**
 * The stream server as a real HTTP client sees it: curl, byte for byte, headers and status.
 */
import assert from "node:assert/strict";
import { startStreamServer, type StreamServer } from "../../src/stream/stream_server.ts";
import { spawnTracked, waitFor, withTimeout } from "../support/process.ts";
import { fakeSource, patternBytes } from "./fake_source.ts";

const MOVIE = patternBytes(200_000, 5);
const SONG = patternBytes(3_000, 6);

interface CurlResult {
  readonly code: number;
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
  readonly output: string;
}

/** Runs curl writing headers and body to files (stdout is text only), stopped by PID always. */
async function curl(args: string[]): Promise<CurlResult> {
  const dir = await Deno.makeTempDir({ prefix: "stream_curl_" });
  const process = spawnTracked("curl", [
    "-sS",
    "--max-time",
    "5",
    "-D",
    `${dir}/headers`,
    "-o",
    `${dir}/body`,
    ...args,
  ]);
  try {
    const { code } = await withTimeout(process.child.status, 8000, `curl ${args.join(" ")}`);
    const raw = await Deno.readTextFile(`${dir}/headers`).catch(() => "");
    const body = await Deno.readFile(`${dir}/body`).catch(() => new Uint8Array(0));
    const lines = raw.split("\r\n");
    const headers = new Headers();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.append(line.slice(0, colon), line.slice(colon + 1).trim());
    }
    const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(lines[0])?.[1] ?? 0);
    return { code, status, headers, body, output: process.output() };
  } finally {
    await process.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

function source(options: Parameters<typeof fakeSource>[2] = {}) {
  return fakeSource("Ünïcode torrent", [
    { path: "Ünïcode torrent/le film – été.mp4", data: MOVIE },
    { path: "Ünïcode torrent/02 song.flac", data: SONG },
  ], options);
}

async function withServer(
  src: ReturnType<typeof source>,
  fn: (server: StreamServer) => Promise<void>,
) {
  const server = startStreamServer({ source: src });
  try {
    await fn(server);
  } finally {
    await withTimeout(server.close(), 5000, "stream server close");
  }
}

Deno.test("curl: -r 100-199 gets a 206 with exactly those bytes", async () => {
  const src = source();
  await withServer(src, async (server) => {
    const url = server.fileUrl(src, 0);
    assert.ok(url.endsWith("/0/le%20film%20%E2%80%93%20%C3%A9t%C3%A9.mp4"), url);
    const result = await curl(["-r", "100-199", url]);
    assert.equal(result.code, 0, result.output);
    assert.equal(result.status, 206);
    assert.equal(result.headers.get("content-range"), `bytes 100-199/${MOVIE.length}`);
    assert.equal(result.headers.get("content-length"), "100");
    assert.equal(result.headers.get("content-type"), "video/mp4");
    assert.equal(result.headers.get("accept-ranges"), "bytes");
    assert.equal(
      result.headers.get("content-disposition"),
      `inline; filename="le film _ _t_.mp4"; filename*=UTF-8''le%20film%20%E2%80%93%20%C3%A9t%C3%A9.mp4`,
    );
    assert.deepEqual(result.body, MOVIE.slice(100, 200));
  });
});

Deno.test("curl: whole file, suffix range and two ranges on one connection", async () => {
  const src = source({ chunkSize: 7_000, delayMs: 0 });
  await withServer(src, async (server) => {
    const url = server.fileUrl(src, 0);
    const full = await curl([url]);
    assert.equal(full.status, 200);
    assert.deepEqual(full.body, MOVIE);
    const tail = await curl(["-r", "-500", url]);
    assert.equal(tail.status, 206);
    assert.deepEqual(tail.body, MOVIE.slice(-500));
    const dir = await Deno.makeTempDir({ prefix: "stream_curl_next_" });
    try {
      const both = await curl([
        "-r",
        "0-9",
        url,
        "--next",
        "-sS",
        "-r",
        "150000-150009",
        "-o",
        `${dir}/second`,
        url,
      ]);
      assert.equal(both.code, 0, both.output);
      assert.deepEqual(both.body, MOVIE.slice(0, 10));
      assert.deepEqual(await Deno.readFile(`${dir}/second`), MOVIE.slice(150_000, 150_010));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("curl: -I shows the headers of a GET and sends no body", async () => {
  const src = source();
  await withServer(src, async (server) => {
    const url = server.fileUrl(src, 1);
    const dir = await Deno.makeTempDir({ prefix: "stream_curl_head_" });
    try {
      // A stray body after the HEAD answer would corrupt the GET that follows on the same connection.
      const result = await curl(["-I", url, "--next", "-sS", "-r", "0-9", "-o", `${dir}/get`, url]);
      assert.equal(result.code, 0, result.output);
      assert.equal(result.status, 200);
      assert.equal(result.headers.get("content-length"), String(SONG.length));
      assert.equal(result.headers.get("content-type"), "audio/flac");
      assert.equal(result.headers.get("accept-ranges"), "bytes");
      // with -I curl writes the header block where the body would go: nothing else is there
      assert.match(new TextDecoder().decode(result.body), /^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\n$/);
      assert.deepEqual(await Deno.readFile(`${dir}/get`), SONG.slice(0, 10));
      assert.equal(src.reads.length, 1, "only the GET opened a source stream");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("curl: an unsatisfiable range is a 416 naming the length", async () => {
  const src = source();
  await withServer(src, async (server) => {
    const result = await curl(["-r", "200000-300000", server.fileUrl(src, 0)]);
    assert.equal(result.status, 416);
    assert.equal(result.headers.get("content-range"), `bytes */${MOVIE.length}`);
    assert.equal(result.body.length, 0);
  });
});

Deno.test("curl: a client that gives up mid-body cancels the source stream", async () => {
  // 200 000 bytes at 2 000 bytes every 20 ms take 2 s; curl gives up after 0.3 s
  const src = source({ chunkSize: 2_000, delayMs: 20 });
  await withServer(src, async (server) => {
    const result = await curl(["--max-time", "0.3", server.fileUrl(src, 0)]);
    assert.equal(result.code, 28, result.output); // operation timed out
    await waitFor(() => src.reads[0]?.cancelled, { timeoutMs: 3000, what: "source cancel" });
    assert.ok(src.reads[0].delivered < MOVIE.length);
    assert.ok(result.body.length > 0 && result.body.length < MOVIE.length);
    assert.deepEqual(result.body, MOVIE.slice(0, result.body.length));
  });
});

Deno.test("curl: a foreign Host header is refused (DNS rebinding), loopback names pass", async () => {
  const src = source();
  await withServer(src, async (server) => {
    const url = `${server.url}index.json`;
    const evil = await curl(["-H", `Host: evil.example:${server.port}`, url]);
    assert.equal(evil.status, 403);
    for (const host of ["localhost", "127.0.0.1", "[::1]"]) {
      const ok = await curl(["-H", `Host: ${host}:${server.port}`, url]);
      assert.equal(ok.status, 200, host);
    }
  });
});

Deno.test("curl: by default only loopback 127.0.0.1 listens; an explicit 0.0.0.0 is honoured", async () => {
  // Another interface's address, or 127.0.0.2 (which reaches a wildcard bind but not 127.0.0.1).
  const other =
    Deno.networkInterfaces().find((i) => i.family === "IPv4" && !i.address.startsWith("127."))
      ?.address ?? "127.0.0.2";
  const src = source();
  await withServer(src, async (server) => {
    assert.equal(server.hostname, "127.0.0.1");
    const result = await curl([`http://${other}:${server.port}/`]);
    assert.equal(result.code, 7, result.output); // failed to connect
  });
  const open = startStreamServer({ source: src, hostname: "0.0.0.0" });
  try {
    assert.equal(open.url, `http://127.0.0.1:${open.port}/`);
    const result = await curl(["-r", "0-4", `http://${other}:${open.port}/1/x.flac`]);
    assert.equal(result.status, 206);
    assert.deepEqual(result.body, SONG.slice(0, 5));
  } finally {
    await open.close();
  }
});
