/**
 * Test harness around a transcoder: an HTTP front for it, bounded GETs, and a /proc watcher.
 * @module
 */
import type { Transcoder } from "../../src/transcode/transcode_routes.ts";
import { withTimeout } from "../support/process.ts";
import { childProcesses } from "./child_processes.ts";
import type { RangeServer } from "./range_server.ts";

/**
 * Our transcoder behind a real HTTP listener, reading files from `source`.
 * @example
 * ```ts ignore
 * const app = startApp(transcoder, source);
 * await get(`${app.base}/0/probe`);
 * await app.close();
 * ```
 */
export function startApp(transcoder: Transcoder, source: RangeServer) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) =>
      (await transcoder.handle(request, { sourceUrl: (i) => source.url(i) })) ??
        new Response("not a transcoding path", { status: 404 }),
  );
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    close: () => server.shutdown(),
  };
}

/** GET with a timeout; the whole body, status and content type. */
export async function get(
  url: string,
): Promise<{ status: number; body: Uint8Array; type: string }> {
  const response = await withTimeout(fetch(url), 30_000, `GET ${url}`);
  const body = new Uint8Array(await withTimeout(response.arrayBuffer(), 30_000, `body ${url}`));
  return { status: response.status, body, type: response.headers.get("content-type") ?? "" };
}

/** UTF-8 text of a body. */
export const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/**
 * Notes every ffmpeg child process whose command line holds `needle` (pid → command line), every
 * 10 ms, until stopped; also the most seen at once, in all and per source file.
 * @example
 * ```ts ignore
 * const watcher = watchChildren("127.0.0.1:8080/");
 * await watcher.stop();
 * watcher.seen.size;
 * ```
 */
export function watchChildren(needle: string) {
  const seen = new Map<number, string>();
  let maxInAll = 0;
  let maxPerFile = 0;
  let done = false;
  const fileOf = new RegExp(`${needle.replaceAll(".", "\\.")}(\\d+)/`);
  const watching = (async () => {
    while (!done) {
      // Only ffmpeg counts towards the limits (ffprobe runs are short and one per file).
      const children = childProcesses(needle).filter((c) =>
        c.cmdline.split(" ")[0].endsWith("/ffmpeg")
      );
      children.forEach((c) => seen.set(c.pid, c.cmdline));
      maxInAll = Math.max(maxInAll, children.length);
      const perFile = new Map<string, number>();
      for (const child of children) {
        const file = fileOf.exec(child.cmdline)?.[1] ?? "?";
        perFile.set(file, (perFile.get(file) ?? 0) + 1);
      }
      maxPerFile = Math.max(maxPerFile, ...perFile.values());
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    seen,
    get maxInAll() {
      return maxInAll;
    },
    get maxPerFile() {
      return maxPerFile;
    },
    async stop() {
      done = true;
      await watching;
    },
  };
}
