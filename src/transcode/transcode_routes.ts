/**
 * Live transcoding while downloading (webtor-style), as a request handler the stream server
 * mounts: `/<index>/probe`, `/<index>/remux.ts`, `/<index>/hls/index.m3u8`, `/<index>/hls/<n>.ts`.
 * ffmpeg reads the file only through the stream server's loopback URL, so its reads (and seeks)
 * steer the torrent's piece priorities like a player's would.
 * @module
 */

import { hlsPlan, remuxPlan } from "./codec_plan.ts";
import type { MediaProcess } from "./ffmpeg_process.ts";
import { findExecutable } from "./find_executable.ts";
import { HlsFile } from "./hls_file.ts";
import { buildPlaylist, segmentCount } from "./hls_playlist.ts";
import type { MediaProbe } from "./media_probe.ts";
import { probeMedia } from "./probe_media.ts";
import { ProcessSlots } from "./process_slots.ts";
import { remuxResponse } from "./remux_stream.ts";
import { SegmentCache } from "./segment_cache.ts";
import { loopbackSourceUrl } from "./source_url.ts";
import { TranscodeError } from "./transcode_error.ts";
import { parseTranscodePath, type TranscodeRoute } from "./transcode_path.ts";

/** What the transcoder needs from the stream server. */
export interface TranscodeContext {
  /** Loopback raw-stream URL of file `index`, or undefined. */
  sourceUrl(index: number): string | undefined;
  /**
   * Aborts when the client goes away, so a request waiting for a segment (or for a free ffmpeg
   * slot) is dropped at once. `request.signal` is not read by the transcoder itself: under
   * Deno.serve's legacy abort mode, reading it makes Deno print a warning, which a TUI cannot
   * have. Without it, a request whose client left is answered into the void when ready.
   */
  readonly signal?: AbortSignal;
}

/** Options of {@linkcode createTranscoder}; every one has a default. */
export interface TranscoderOptions {
  /** Parent folder of the segment cache (default: the system temp folder). */
  cacheDir?: string;
  /** Cap of the segment cache (default 512 MiB). */
  cacheBytes?: number;
  /** ffmpeg program (default: `ffmpeg` found on PATH). */
  ffmpegPath?: string;
  /** ffprobe program (default: `ffprobe` found on PATH). */
  ffprobePath?: string;
  /** Target HLS segment length (default 6). */
  segmentSeconds?: number;
  /** An HLS ffmpeg nobody asked anything of for this long is stopped (default 30 000). */
  idleMs?: number;
  /** Segments an HLS ffmpeg may run ahead of the player before it is stopped (default 8). */
  readAheadSegments?: number;
}

/** The transcoding endpoints. */
export interface Transcoder {
  /** Handles /<index>/probe, /<index>/remux.ts, /<index>/hls/index.m3u8, /<index>/hls/<n>.ts; undefined for other paths. */
  handle(request: Request, ctx: TranscodeContext): Promise<Response | undefined>;
  /** Whether ffmpeg is available (else the endpoints answer 501 with a clear message). */
  readonly available: boolean;
  /** PIDs of the ffmpeg/ffprobe processes running now. */
  readonly pids: readonly number[];
  /** Stops every ffmpeg process (by PID) and removes the cache. */
  close(): Promise<void>;
}

/** Never more than this many ffmpeg processes in all (one per file). */
const MAX_PROCESSES = 2;

interface FileState {
  readonly id: number;
  probe?: Promise<MediaProbe>;
  hls?: Promise<HlsFile>;
}

/**
 * Creates the transcoder. Without ffmpeg and ffprobe it still answers its paths, with 501.
 * @example
 * ```ts ignore
 * const transcoder = createTranscoder({});
 * const ctx = { sourceUrl: (i: number) => i === 0 ? "http://127.0.0.1:8080/0/a.mkv" : undefined };
 * const response = await transcoder.handle(new Request("http://x/0/hls/index.m3u8"), ctx);
 * await transcoder.close();
 * ```
 */
export function createTranscoder(options: TranscoderOptions = {}): Transcoder {
  const ffmpeg = findExecutable(options.ffmpegPath ?? "ffmpeg");
  const ffprobe = findExecutable(options.ffprobePath ?? "ffprobe");
  if (!ffmpeg || !ffprobe) return unavailableTranscoder();
  return new FfmpegTranscoder(ffmpeg, ffprobe, options);
}

const NO_FFMPEG = "transcoding needs ffmpeg and ffprobe, and they were not found on PATH: " +
  "install ffmpeg (e.g. `apt-get install ffmpeg`) and restart";

function unavailableTranscoder(): Transcoder {
  return {
    available: false,
    pids: [],
    handle: (request) =>
      Promise.resolve(
        parseTranscodePath(new URL(request.url).pathname) ? text(501, NO_FFMPEG) : undefined,
      ),
    close: () => Promise.resolve(),
  };
}

class FfmpegTranscoder implements Transcoder {
  readonly available = true;
  readonly #ffmpeg: string;
  readonly #ffprobe: string;
  readonly #segmentSeconds: number;
  readonly #idleMs: number;
  readonly #readAhead: number;
  readonly #root: string;
  readonly #cache: SegmentCache;
  readonly #slots = new ProcessSlots(MAX_PROCESSES);
  readonly #files = new Map<string, FileState>();
  readonly #processes = new Set<MediaProcess>();
  readonly #sweep: ReturnType<typeof setInterval>;
  #closed = false;

  constructor(ffmpeg: string, ffprobe: string, options: TranscoderOptions) {
    this.#ffmpeg = ffmpeg;
    this.#ffprobe = ffprobe;
    this.#segmentSeconds = options.segmentSeconds ?? 6;
    this.#idleMs = options.idleMs ?? 30_000;
    this.#readAhead = options.readAheadSegments ?? 8;
    this.#root = Deno.makeTempDirSync({
      dir: options.cacheDir,
      prefix: "bittorrent-ts-transcode-",
    });
    Deno.mkdirSync(`${this.#root}/runs`);
    Deno.mkdirSync(`${this.#root}/segments`);
    this.#cache = new SegmentCache(`${this.#root}/segments`, options.cacheBytes ?? 512 * 2 ** 20);
    this.#sweep = setInterval(() => this.#stopIdle(), Math.min(1000, this.#idleMs / 2));
  }

  get pids(): readonly number[] {
    return [...this.#processes].map((p) => p.pid);
  }

  async handle(request: Request, ctx: TranscodeContext): Promise<Response | undefined> {
    const route = parseTranscodePath(new URL(request.url).pathname);
    if (!route) return undefined;
    if (request.method !== "GET" && request.method !== "HEAD") {
      return text(405, "only GET and HEAD", { allow: "GET, HEAD" });
    }
    try {
      if (this.#closed) throw new TranscodeError(503, "transcoder is closed");
      const raw = ctx.sourceUrl(route.index);
      if (raw === undefined) throw new TranscodeError(404, `no file with index ${route.index}`);
      const response = await this.#answer(route, loopbackSourceUrl(raw), request, ctx.signal);
      if (request.method === "HEAD") {
        await response.body?.cancel();
        return new Response(null, { status: response.status, headers: response.headers });
      }
      return response;
    } catch (error) {
      if (error instanceof TranscodeError) return text(error.status, error.message);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#sweep);
    const files = [...this.#files.values()];
    await Promise.all(files.map((f) => f.hls?.then((h) => h.close(), () => {})));
    await Promise.all([...this.#processes].map((p) => p.stop()));
    await Deno.remove(this.#root, { recursive: true }).catch(() => {});
  }

  async #answer(
    route: TranscodeRoute,
    sourceUrl: string,
    request: Request,
    signal: AbortSignal | undefined,
  ): Promise<Response> {
    const file = this.#file(sourceUrl);
    switch (route.kind) {
      case "probe":
        return json(this.#describe(route.index, await this.#probe(file, sourceUrl)));
      case "remux": {
        if (request.method === "HEAD") return new Response(null, { headers: TS_HEADERS });
        const probe = await this.#probe(file, sourceUrl);
        return await remuxResponse({
          ffmpegPath: this.#ffmpeg,
          sourceUrl,
          streams: remuxPlan(probe),
          slots: this.#slots,
          onSpawn: (p) => this.#track(p),
          signal,
        });
      }
      case "playlist": {
        const probe = await this.#probe(file, sourceUrl);
        const duration = requireDuration(probe);
        return new Response(buildPlaylist(duration, hlsPlan(probe, this.#segmentSeconds)), {
          headers: { "content-type": "application/vnd.apple.mpegurl", "cache-control": "no-cache" },
        });
      }
      case "segment": {
        const hls = await this.#hls(file, sourceUrl);
        if (route.segment >= hls.segmentCount) {
          throw new TranscodeError(
            404,
            `no segment ${route.segment} (the file has ${hls.segmentCount})`,
          );
        }
        return await segmentResponse(await hls.segment(route.segment, signal));
      }
    }
  }

  #file(sourceUrl: string): FileState {
    let file = this.#files.get(sourceUrl);
    if (!file) {
      file = { id: this.#files.size };
      this.#files.set(sourceUrl, file);
    }
    return file;
  }

  /** Probes once per file; a failed probe is forgotten so a later request tries again. */
  #probe(file: FileState, sourceUrl: string): Promise<MediaProbe> {
    if (!file.probe) {
      const sample = 2 * this.#segmentSeconds + 1;
      file.probe = probeMedia(this.#ffprobe, sourceUrl, sample, (p) => this.#track(p));
      file.probe.catch(() => (file.probe = undefined));
    }
    return file.probe;
  }

  #hls(file: FileState, sourceUrl: string): Promise<HlsFile> {
    if (!file.hls) {
      file.hls = this.#probe(file, sourceUrl).then((probe) => {
        const plan = hlsPlan(probe, this.#segmentSeconds);
        return new HlsFile({
          fileId: file.id,
          sourceUrl,
          plan,
          segmentCount: segmentCount(requireDuration(probe), plan),
          cache: this.#cache,
          slots: this.#slots,
          workDir: `${this.#root}/runs`,
          ffmpegPath: this.#ffmpeg,
          readAhead: this.#readAhead,
          onSpawn: (p) => this.#track(p),
        });
      });
      file.hls.catch(() => (file.hls = undefined));
    }
    return file.hls;
  }

  #describe(index: number, probe: MediaProbe) {
    const plan = hlsPlan(probe, this.#segmentSeconds);
    return {
      index,
      format: probe.format,
      durationSeconds: probe.durationSeconds ?? null,
      bitRate: probe.bitRate ?? null,
      streams: probe.streams,
      hls: probe.durationSeconds === undefined ? null : {
        segmentSeconds: plan.segmentSeconds,
        segments: segmentCount(probe.durationSeconds, plan),
        streams: plan.streams,
      },
      remux: remuxPlan(probe),
    };
  }

  #track(process: MediaProcess): void {
    this.#processes.add(process);
    process.exited.then(() => this.#processes.delete(process));
    if (this.#closed) void process.stop();
  }

  #stopIdle(): void {
    const now = Date.now();
    for (const file of this.#files.values()) {
      file.hls?.then((h) => h.stopIfIdle(now, this.#idleMs), () => {});
    }
  }
}

const TS_HEADERS = { "content-type": "video/mp2t", "cache-control": "no-store" };

function requireDuration(probe: MediaProbe): number {
  if (probe.durationSeconds === undefined) {
    throw new TranscodeError(422, "the file's duration is unknown, so it has no HLS playlist");
  }
  return probe.durationSeconds;
}

async function segmentResponse(path: string): Promise<Response> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch {
    // Evicted between lookup and open: the player retries and it is made again.
    throw new TranscodeError(503, "segment was just evicted from the cache, retry");
  }
  const { size } = await file.stat();
  return new Response(file.readable, {
    headers: { "content-type": "video/mp2t", "content-length": String(size) },
  });
}

function json(value: unknown): Response {
  return new Response(JSON.stringify(value, null, 2), {
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-cache" },
  });
}

function text(status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(message + "\n", {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  });
}
