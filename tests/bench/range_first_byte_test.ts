import assert from "node:assert/strict";
import {
  matchesFile,
  RangeRequestError,
  timeRangeFirstByte,
} from "../../bench/range_first_byte.ts";

const FILE = new Uint8Array(1000).map((_, i) => i % 251);

/** A server whose body starts `delayMs` after its headers; `status` overrides 206. */
function serve(delayMs: number, status = 206) {
  const ranges: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const range = request.headers.get("range") ?? "";
    ranges.push(range);
    const from = Number(/bytes=(\d+)-/.exec(range)?.[1] ?? 0);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        timer = setTimeout(() => {
          try {
            controller.enqueue(FILE.slice(from));
            controller.close();
          } catch { /* the client left first (the stream was errored, not cancelled) */ }
        }, delayMs);
      },
      cancel() {
        clearTimeout(timer);
      },
    });
    return new Response(body, { status });
  });
  return { url: `http://127.0.0.1:${server.addr.port}/0/file.bin`, ranges, server };
}

Deno.test("timeRangeFirstByte: asks from the offset, times headers and first byte", async () => {
  const { url, ranges, server } = serve(200);
  try {
    const t = await timeRangeFirstByte(url, 750, 5_000);
    assert.deepEqual(ranges, ["bytes=750-"]);
    assert.deepEqual(t.firstChunk, FILE.slice(750));
    assert.ok(t.headersMs < 150, `headers after ${t.headersMs} ms`);
    assert.ok(t.firstByteMs >= 190, `first byte after ${t.firstByteMs} ms`);
  } finally {
    await server.shutdown();
  }
});

Deno.test("timeRangeFirstByte: a status other than 206 and a timeout are RangeRequestErrors", async () => {
  const whole = serve(0, 200);
  const slow = serve(2_000);
  try {
    await assert.rejects(timeRangeFirstByte(whole.url, 10, 5_000), RangeRequestError);
    await assert.rejects(
      timeRangeFirstByte(slow.url, 10, 100),
      (e) => e instanceof RangeRequestError && /within 100 ms/.test(e.message),
    );
  } finally {
    await whole.server.shutdown();
    await slow.server.shutdown();
  }
});

Deno.test("matchesFile: compares a chunk with the file's bytes at an offset", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/f.bin`;
    await Deno.writeFile(path, FILE);
    assert.equal(await matchesFile(path, 750, FILE.slice(750, 800)), true);
    assert.equal(await matchesFile(path, 751, FILE.slice(750, 800)), false);
    assert.equal(await matchesFile(path, 990, FILE.slice(0, 20)), false); // past the end
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
