/**
 * Everything a running client owns: the listening socket, the UDP tracker client, the DHT node,
 * the streaming server and the torrents; started together and stopped together.
 * @module
 */

import type { DhtNode } from "../dht/dht_node.ts";
import { MagnetError, parseMagnet } from "../metainfo/magnet.ts";
import { RarestFirst } from "../picker/rarest_first.ts";
import { Sequential } from "../picker/sequential.ts";
import { mediaKindOf } from "../stream/media_types.ts";
import { launchPlayer, pickDefaultFile } from "../stream/player.ts";
import { createTranscoder, type Transcoder } from "../transcode/transcode_routes.ts";
import { startStreamServer, type StreamServer } from "../stream/stream_server.ts";
import { PeerListener } from "../torrent/peer_listener.ts";
import { TorrentJob, type TorrentSource } from "../torrent/torrent_job.ts";
import { standardAnnouncers } from "../tracker/announcers.ts";
import { UdpTrackerClient } from "../tracker/udp_tracker.ts";
import type { EncryptionPolicy } from "../wire/encryption_policy.ts";
import { DEFAULT_PORT, type DownloadCommand } from "./args.ts";
import { CliError, type Output } from "./cli_error.ts";
import { saveDht, startDht } from "./dht_setup.ts";
import { loadTorrentFile } from "./load_torrent_file.ts";

/** A started client. */
export interface ClientSession {
  readonly jobs: readonly TorrentJob[];
  readonly port: number;
  /** Stops torrents (announcing `stopped`, saving resume data) and closes sockets. */
  stop(): Promise<void>;
}

/**
 * Opens the peer port, taking incoming peers as the encryption policy allows. The default port
 * falls back to any free port when taken; a port the user asked for must be free.
 * @example
 * ```ts
 * const listener = openListener(6881, consoleOutput, "require");
 * ```
 */
export function openListener(
  port: number,
  output: Output,
  encryption: EncryptionPolicy = "tolerate",
): PeerListener {
  const onError = (message: string) => output.error(`listener: ${message}`);
  try {
    return new PeerListener({ port, onError, encryption });
  } catch (error) {
    if (port !== DEFAULT_PORT || !(error instanceof Deno.errors.AddrInUse)) {
      throw new CliError(`cannot listen on port ${port}: ${(error as Error).message}`);
    }
    output.error(`port ${port} is taken; listening on a free port instead`);
    return new PeerListener({ port: 0, onError, encryption });
  }
}

/**
 * Reads every source of a command: .torrent files and magnet links.
 * @example
 * ```ts
 * const sources = await loadSources(["a.torrent", "magnet:?xt=urn:btih:..."]);
 * ```
 */
export async function loadSources(sources: readonly string[]): Promise<TorrentSource[]> {
  return await Promise.all(sources.map(async (source): Promise<TorrentSource> => {
    if (!source.startsWith("magnet:")) return { metainfo: await loadTorrentFile(source) };
    try {
      return { magnet: parseMagnet(source) };
    } catch (error) {
      if (error instanceof MagnetError) throw new CliError(`bad magnet link: ${error.message}`);
      throw error;
    }
  }));
}

/**
 * Creates the torrents of a download command, listens, and starts them.
 * @example
 * ```ts
 * const session = await startSession(cmd, await loadSources(cmd.sources), { seed: false }, out);
 * await session.stop();
 * ```
 */
export async function startSession(
  cmd: DownloadCommand,
  sources: readonly TorrentSource[],
  options: { seed: boolean },
  output: Output,
): Promise<ClientSession> {
  await Deno.mkdir(cmd.out, { recursive: true }).catch((error) => {
    throw new CliError(`cannot create ${cmd.out}: ${error.message}`);
  });
  const listener = openListener(cmd.port, output, cmd.encryption);
  output.line(`listening for peers on port ${listener.port}`);
  const udp = new UdpTrackerClient();
  let dht: DhtNode | undefined;
  if (cmd.dht) {
    try {
      dht = await startDht(listener.port, cmd.dhtBootstrap, cmd.dhtState);
    } catch (error) {
      output.error(`DHT off: ${(error as Error).message}`);
    }
  }
  const jobs = sources.map((source) =>
    new TorrentJob(source, {
      dir: cmd.out,
      strategy: cmd.strategy === "sequential" ? new Sequential() : new RarestFirst(),
      giveUpAfterMs: cmd.giveUpSeconds * 1000,
      announcers: standardAnnouncers(udp),
      listenPort: listener.port,
      seed: options.seed,
      recheck: cmd.recheck,
      select: cmd.select,
      dht,
      encryption: cmd.encryption,
    })
  );
  let stream: { server: StreamServer; transcoder: Transcoder } | undefined;
  const stop = async () => {
    await stream?.server.close();
    await stream?.transcoder.close();
    listener.close();
    await Promise.all(jobs.map((j) => j.stop()));
    if (dht) await saveDht(dht, cmd.dhtState);
    udp.close();
  };
  try {
    for (const job of jobs) {
      listener.register(job);
      await job.start();
      job.addPeers(cmd.peers, "--peer");
    }
  } catch (error) {
    await stop();
    throw new CliError((error as Error).message);
  }
  if (cmd.stream !== undefined) {
    // Files are known once every torrent has its metadata (at once, but for magnet links).
    Promise.all(jobs.map((j) => j.whenReady())).then(
      () => (stream = startStreaming(cmd, jobs, output)),
      () => {},
    ).catch((error) => output.error(`error: ${error.message}`));
  }
  return { jobs, port: listener.port, stop };
}

/**
 * `--stream`: the HTTP server (raw files with Range, and HLS / remux through ffmpeg when it is
 * installed), its URLs printed, and the player started if asked.
 */
function startStreaming(
  cmd: DownloadCommand,
  jobs: readonly TorrentJob[],
  output: Output,
): { server: StreamServer; transcoder: Transcoder } {
  const torrents = jobs.map((j) => j.torrent!);
  const sources = torrents.map((t) => ({ id: t.metainfo.infoHashHex, source: t.streamSource() }));
  const transcoder = createTranscoder();
  const common = {
    port: cmd.stream,
    hostname: cmd.streamHost,
    routes: (request: Request, _: unknown, sourceUrl: (i: number) => string | undefined) =>
      transcoder.handle(request, { sourceUrl }),
  };
  const server = torrents.length === 1
    ? startStreamServer({ source: sources[0].source, ...common })
    : startStreamServer({ sources, ...common });
  output.line(`streaming on ${server.url}`);
  torrents.forEach((t, i) => {
    const { source } = sources[i];
    const fileUrls: Record<number, string> = {};
    const hlsUrls: Record<number, string> = {};
    for (const f of source.files) {
      fileUrls[f.index] = server.fileUrl(source, f.index);
      // The HLS playlist sits beside the file: /<index>/hls/index.m3u8.
      const kind = mediaKindOf(f.path);
      if (transcoder.available && (kind === "video" || kind === "audio")) {
        hlsUrls[f.index] = fileUrls[f.index].replace(/\/[^/]*$/, "/hls/index.m3u8");
      }
    }
    const hls = transcoder.available ? hlsUrls : undefined;
    t.streamInfo = () => ({ url: server.url, fileUrls, hlsUrls: hls, ...server.stats() });
    t.openInPlayer = (fileIndex) => {
      if (!fileUrls[fileIndex]) return;
      try {
        launchPlayer(cmd.player ?? "mpv", fileUrls[fileIndex]);
      } catch (error) {
        t.addLog("warn", (error as Error).message); // e.g. mpv is not installed
      }
    };
  });
  const main = pickDefaultFile(sources[0].source.files);
  if (main) {
    output.line(`stream of ${main.path}: ${server.fileUrl(sources[0].source, main.index)}`);
    if (!transcoder.available) output.line("HLS and remux need ffmpeg, which was not found");
    if (cmd.player) torrents[0].openInPlayer?.(main.index);
  }
  return { server, transcoder };
}
