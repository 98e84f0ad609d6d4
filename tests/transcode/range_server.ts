/**
 * A stand-in for our stream server in tests: serves files at `/<index>/<name>` on 127.0.0.1
 * with Range support, throttled so ffmpeg reads it like a download in progress.
 * @module
 */

/** A running range server. */
export interface RangeServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>/<index>/<name>` of file `index`, or undefined. */
  url(index: number): string | undefined;
  /** Requests served so far (ranges asked for), for assertions. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/**
 * Serves `paths` (file `i` at `/<i>/<basename>`) at `bytesPerSecond` per response.
 * @example
 * ```ts ignore
 * const server = await serveRanges(["/tmp/a.mkv"], 4 << 20);
 * server.url(0); // "http://127.0.0.1:41234/0/a.mkv"
 * await server.close();
 * ```
 */
export async function serveRanges(
  paths: readonly string[],
  bytesPerSecond: number,
): Promise<RangeServer> {
  const files = await Promise.all(paths.map(async (path) => ({
    name: path.split("/").at(-1)!,
    data: await Deno.readFile(path),
  })));
  const requests: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const match = /^\/(\d+)\/(.+)$/.exec(new URL(request.url).pathname);
    const file = match ? files[Number(match[1])] : undefined;
    if (!file || decodeURIComponent(match![2]) !== file.name) {
      return new Response("not found", { status: 404 });
    }
    const size = file.data.length;
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.get("range") ?? "");
    const start = range ? Number(range[1]) : 0;
    const end = range && range[2] !== "" ? Math.min(Number(range[2]) + 1, size) : size;
    requests.push(`${match![1]}:${start}-${end}`);
    if (start >= size && size > 0) {
      return new Response(null, { status: 416, headers: { "content-range": `bytes */${size}` } });
    }
    const headers = new Headers({
      "accept-ranges": "bytes",
      "content-length": String(end - start),
      "content-type": "application/octet-stream",
    });
    if (range) headers.set("content-range", `bytes ${start}-${end - 1}/${size}`);
    return new Response(throttled(file.data.subarray(start, end), bytesPerSecond), {
      status: range ? 206 : 200,
      headers,
    });
  });
  return {
    port: server.addr.port,
    url: (index) =>
      files[index]
        ? `http://127.0.0.1:${server.addr.port}/${index}/${encodeURIComponent(files[index].name)}`
        : undefined,
    requests,
    async close() {
      await server.shutdown();
    },
  };
}

const TICK_MS = 20;

function throttled(data: Uint8Array, bytesPerSecond: number): ReadableStream<Uint8Array> {
  const chunk = Math.max(1, Math.floor((bytesPerSecond * TICK_MS) / 1000));
  let offset = 0;
  return new ReadableStream({
    async pull(controller) {
      if (offset >= data.length) return controller.close();
      await new Promise((resolve) => setTimeout(resolve, TICK_MS));
      controller.enqueue(data.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}
