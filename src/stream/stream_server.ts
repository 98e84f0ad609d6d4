/**
 * The streaming HTTP server: serves a torrent's files to mpv, VLC or a browser while they download,
 * with byte ranges so players seek without waiting. Every response body is the source's own byte
 * stream, so a player that drops a connection (it does on every seek) cancels that stream and the
 * engine moves its priority to wherever the player asks next.
 *
 * Routes (with one source; with several, each route below sits under `/<id>`, and `/` and
 * `/index.json` list them all):
 * - `GET /`: an HTML page linking every file;
 * - `GET /index.json`: {@linkcode IndexJson};
 * - `GET|HEAD /<index>/<name>`: the file with torrent index `<index>` (the name is decorative).
 *
 * Bound to a loopback address (the default) it also refuses requests whose Host is not a loopback
 * name, so a web page cannot reach it through DNS rebinding.
 * @module
 */

import { fileResponse } from "./file_response.ts";
import { LatencyWindow } from "./latency_window.ts";
import { filePath, indexHtml, type IndexJson, indexJson } from "./stream_index.ts";
import type { StreamSource } from "./stream_source.ts";
import { StreamServerError } from "./stream_server_error.ts";

export type { IndexJson };

/** A source served under `/<id>/`; ids are letters, digits, `-` and `_` (an info-hash fits). */
export interface NamedStreamSource {
  readonly id: string;
  readonly source: StreamSource;
}

interface CommonOptions {
  /** Address to bind; default `127.0.0.1`. Anything not loopback exposes the files to the network. */
  readonly hostname?: string;
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Aborting it closes the server, like `close()`. */
  readonly signal?: AbortSignal;
  /**
   * Extra routes under each source (transcoding), tried before the file route. `request`'s path
   * is relative to the source (its `/<id>` taken off); `localUrl` gives a file's raw stream URL
   * on a loopback address (undefined when the server is bound to a single non-loopback address).
   * Undefined means "not mine".
   */
  readonly routes?: (
    request: Request,
    source: StreamSource,
    localUrl: (fileIndex: number) => string | undefined,
  ) => Promise<Response | undefined>;
}

/** Options of {@linkcode startStreamServer}: one source at the root, or several by id. */
export type StreamServerOptions =
  & CommonOptions
  & (
    | { readonly source: StreamSource; readonly sources?: never }
    | { readonly sources: readonly NamedStreamSource[]; readonly source?: never }
  );

/** What the TUI and `--json` show about streaming. Latencies are in milliseconds. */
export interface StreamStats {
  /** Time from the last Range request to its first body byte going out. */
  readonly lastSeekMs?: number;
  /** Median of that time over the recent Range requests. */
  readonly medianSeekMs?: number;
  /** Range requests that have sent their first byte so far. */
  readonly seeks: number;
  /** Bodies being sent right now. */
  readonly activeStreams: number;
}

/** A running stream server. */
export interface StreamServer {
  /** Base URL, e.g. `http://127.0.0.1:8888/` (a wildcard bind is shown as loopback). */
  readonly url: string;
  readonly port: number;
  readonly hostname: string;
  /** The absolute URL of a file of one of the served sources (throws for an unknown source). */
  fileUrl(source: StreamSource, fileIndex: number): string;
  stats(): StreamStats;
  /** Ends every open body (cancelling its source stream) and stops listening. Idempotent. */
  close(): Promise<void>;
}

/** A source and the id its routes sit under (null: at the root, when it is the only one). */
interface Mount {
  readonly id: string | null;
  readonly source: StreamSource;
}

/**
 * Starts serving. Synchronous: the port is bound when this returns, and a port that cannot be
 * bound, a bad port or bad source ids throw {@linkcode StreamServerError}.
 * @example
 * ```ts
 * const server = startStreamServer({ source, port: 0 });
 * console.log(server.fileUrl(source, 0)); // http://127.0.0.1:41234/0/movie.mkv
 * await server.close();
 * ```
 */
export function startStreamServer(options: StreamServerOptions): StreamServer {
  const mounts: readonly Mount[] = options.source
    ? [{ id: null, source: options.source }]
    : checkedMounts(options.sources ?? []);
  const hostname = options.hostname ?? "127.0.0.1";
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new StreamServerError(`invalid stream port ${port} (0-65535)`);
  }
  const loopbackOnly = isLoopback(hostname);
  const seeks = new LatencyWindow(32);
  const openBodies = new Set<(reason: Error) => void>();

  const opened = (abort: (reason: Error) => void) => {
    openBodies.add(abort);
    return () => openBodies.delete(abort);
  };
  const handler = async (request: Request): Promise<Response> => {
    const receivedAt = performance.now();
    const url = new URL(request.url);
    if (loopbackOnly && !isLoopback(url.hostname)) return plain(request, 403, "forbidden host\n");
    if (url.pathname === "/" || url.pathname === "/index.json") {
      if (!isRead(request)) return notAllowed(request);
      const listed = mounts.map(({ id, source }) => ({
        id,
        name: source.name,
        files: source.files,
      }));
      return url.pathname === "/"
        ? plain(request, 200, indexHtml(listed), "text/html; charset=utf-8")
        : plain(request, 200, JSON.stringify(indexJson(listed, url.origin)), "application/json");
    }
    const segments = url.pathname.split("/").slice(1);
    const id = mounts[0].id === null ? null : segments.shift();
    const mount = mounts.find((m) => m.id === id);
    if (mount && options.routes) {
      const local = new URL(`/${segments.join("/")}${url.search}`, url.origin);
      const routed = await options.routes(
        new Request(local, { method: request.method, headers: request.headers }),
        mount.source,
        (fileIndex) => localFileUrl(mount, fileIndex),
      );
      if (routed) return routed;
    }
    const file = mount && /^[0-9]{1,9}$/.test(segments[0] ?? "")
      ? mount.source.files.find((f) => f.index === Number(segments[0]))
      : undefined;
    if (!mount || !file) return plain(request, 404, "not found\n");
    if (!isRead(request)) return notAllowed(request);
    return fileResponse(request, mount.source, file, {
      onFirstRangeByte: () => seeks.add(performance.now() - receivedAt),
      opened,
    });
  };

  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname,
      port,
      onListen: () => {},
      // The TUI owns the terminal: nothing may be printed from here.
      onError: () => new Response("internal error\n", { status: 500 }),
    }, handler);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new StreamServerError(`cannot listen on ${hostname}:${port}: ${why}`);
  }

  const boundPort = server.addr.port;
  const base = `http://${urlHost(hostname)}:${boundPort}`;
  // What this process can reach itself on: the bound loopback address, or loopback when bound
  // to every address.
  const loopbackHost = loopbackOnly
    ? urlHost(hostname)
    : hostname === "0.0.0.0"
    ? "127.0.0.1"
    : hostname === "::"
    ? "[::1]"
    : undefined;
  function localFileUrl(mount: Mount, fileIndex: number): string | undefined {
    const file = mount.source.files.find((f) => f.index === fileIndex);
    if (!file || !loopbackHost) return undefined;
    return `http://${loopbackHost}:${boundPort}${filePath(mount.id, file)}`;
  }
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      options.signal?.removeEventListener("abort", close);
      const reason = new StreamServerError("stream server closed");
      for (const abort of [...openBodies]) abort(reason);
      await server.shutdown();
    })();
    return closing;
  };
  if (options.signal?.aborted) close();
  else options.signal?.addEventListener("abort", close, { once: true });

  return {
    url: `${base}/`,
    port: boundPort,
    hostname,
    fileUrl(source, fileIndex) {
      const mount = mounts.find((m) => m.source === source);
      const file = source.files.find((f) => f.index === fileIndex);
      if (!mount || !file) {
        throw new StreamServerError(`no file ${fileIndex} in a served source "${source.name}"`);
      }
      return base + filePath(mount.id, file);
    },
    stats() {
      const { lastMs, medianMs, count } = seeks.summary();
      return {
        lastSeekMs: tenths(lastMs),
        medianSeekMs: tenths(medianMs),
        seeks: count,
        activeStreams: openBodies.size,
      };
    },
    close,
  };
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function checkedMounts(sources: readonly NamedStreamSource[]): Mount[] {
  if (sources.length === 0) throw new StreamServerError("no sources to stream");
  const seen = new Set<string>();
  for (const { id } of sources) {
    if (!ID.test(id)) {
      throw new StreamServerError(`invalid stream source id "${id}" (letters, digits, - and _)`);
    }
    if (seen.has(id)) throw new StreamServerError(`duplicate stream source id "${id}"`);
    seen.add(id);
  }
  return sources.map(({ id, source }) => ({ id, source }));
}

/** Loopback names and addresses: `localhost`, 127.0.0.0/8, `::1` (bare or bracketed as in URLs). */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === "localhost" || host === "::1" || host === "[::1]" ||
    /^127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$/.test(host);
}

/** How `hostname` appears in a URL to reach it from this machine (wildcards become loopback). */
function urlHost(hostname: string): string {
  if (hostname === "0.0.0.0" || hostname === "") return "127.0.0.1";
  if (hostname === "::" || hostname === "[::]") return "[::1]";
  return hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;
}

function isRead(request: Request): boolean {
  return request.method === "GET" || request.method === "HEAD";
}

/** A small complete answer; HEAD gets the same headers and no body. */
function plain(request: Request, status: number, text: string, type = "text/plain; charset=utf-8") {
  const body = new TextEncoder().encode(text);
  const headers = {
    "content-type": type,
    "content-length": String(body.length),
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
  };
  return new Response(request.method === "HEAD" ? null : body, { status, headers });
}

function notAllowed(request: Request): Response {
  const response = plain(request, 405, "method not allowed\n");
  response.headers.set("allow", "GET, HEAD");
  return response;
}

function tenths(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms * 10) / 10;
}
