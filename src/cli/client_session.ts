/**
 * Everything a running client owns besides its torrents' state: the listening socket, the UDP
 * tracker client, and the torrents themselves; started together and stopped together.
 * @module
 */

import type { Metainfo } from "../metainfo/types.ts";
import { RarestFirst } from "../picker/rarest_first.ts";
import { Sequential } from "../picker/sequential.ts";
import { PeerListener } from "../torrent/peer_listener.ts";
import { Torrent } from "../torrent/torrent.ts";
import { standardAnnouncers } from "../tracker/announcers.ts";
import { UdpTrackerClient } from "../tracker/udp_tracker.ts";
import { startStreamServer, type StreamServer } from "../stream/stream_server.ts";
import { launchPlayer, pickDefaultFile } from "../stream/player.ts";
import { DEFAULT_PORT, type DownloadCommand } from "./args.ts";
import { CliError, type Output } from "./cli_error.ts";

/** A started client. */
export interface ClientSession {
  readonly torrents: readonly Torrent[];
  readonly port: number;
  /** The streaming server, with `--stream`. */
  readonly stream: StreamServer | undefined;
  /** Stops torrents (announcing `stopped`, saving resume data) and closes sockets. */
  stop(): Promise<void>;
}

/**
 * Opens the peer port. The default port falls back to any free port when taken; a port the
 * user asked for must be free.
 * @example
 * ```ts
 * const listener = openListener(6881, consoleOutput);
 * ```
 */
export function openListener(port: number, output: Output): PeerListener {
  const onError = (message: string) => output.error(`listener: ${message}`);
  try {
    return new PeerListener({ port, onError });
  } catch (error) {
    if (port !== DEFAULT_PORT || !(error instanceof Deno.errors.AddrInUse)) {
      throw new CliError(`cannot listen on port ${port}: ${(error as Error).message}`);
    }
    output.error(`port ${port} is taken; listening on a free port instead`);
    return new PeerListener({ port: 0, onError });
  }
}

/**
 * Creates the torrents of a download command, listens, and starts them.
 * @example
 * ```ts
 * const session = await startSession(cmd, metainfos, { seed: false }, consoleOutput);
 * await session.stop();
 * ```
 */
export async function startSession(
  cmd: DownloadCommand,
  metainfos: readonly Metainfo[],
  options: { seed: boolean },
  output: Output,
): Promise<ClientSession> {
  await Deno.mkdir(cmd.out, { recursive: true }).catch((error) => {
    throw new CliError(`cannot create ${cmd.out}: ${error.message}`);
  });
  const listener = openListener(cmd.port, output);
  output.line(`listening for peers on port ${listener.port}`);
  const udp = new UdpTrackerClient();
  const announcers = standardAnnouncers(udp);
  const torrents = metainfos.map((m) =>
    new Torrent(m, {
      dir: cmd.out,
      strategy: cmd.strategy === "sequential" ? new Sequential() : new RarestFirst(),
      giveUpAfterMs: cmd.giveUpSeconds * 1000,
      announcers,
      listenPort: listener.port,
      seed: options.seed,
      recheck: cmd.recheck,
    })
  );
  let stream: StreamServer | undefined;
  const stop = async () => {
    await stream?.close();
    listener.close();
    await Promise.all(torrents.map((t) => t.stop()));
    udp.close();
  };
  try {
    for (const t of torrents) {
      applySelection(t, cmd.select);
      listener.register(t);
      await t.start();
      t.addPeers(cmd.peers, "--peer");
    }
    if (cmd.stream !== undefined) stream = startStreaming(cmd, torrents, output);
  } catch (error) {
    await stop();
    throw new CliError((error as Error).message);
  }
  return { torrents, port: listener.port, stream, stop };
}

/** `--select`: every file not listed is skipped. */
function applySelection(torrent: Torrent, select: readonly number[] | undefined): void {
  if (!select) return;
  const files = torrent.metainfo.files;
  const bad = select.find((i) => i >= files.length || files[i].pad);
  if (bad !== undefined) {
    throw new CliError(`--select: there is no file ${bad} in ${torrent.metainfo.name}`);
  }
  files.forEach((_, i) => {
    if (!select.includes(i)) torrent.setFilePriority(i, "skip");
  });
}

/** `--stream`: the HTTP server, its URLs printed, and the player started if asked. */
function startStreaming(
  cmd: DownloadCommand,
  torrents: readonly Torrent[],
  output: Output,
): StreamServer {
  const sources = torrents.map((t) => ({ id: t.metainfo.infoHashHex, source: t.streamSource() }));
  const server = torrents.length === 1
    ? startStreamServer({ source: sources[0].source, port: cmd.stream, hostname: cmd.streamHost })
    : startStreamServer({ sources, port: cmd.stream, hostname: cmd.streamHost });
  output.line(`streaming on ${server.url}`);
  torrents.forEach((t, i) => {
    const { source } = sources[i];
    const fileUrls = Object.fromEntries(
      source.files.map((f) => [f.index, server.fileUrl(source, f.index)]),
    );
    t.streamInfo = () => ({ url: server.url, fileUrls, ...server.stats() });
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
    const url = server.fileUrl(sources[0].source, main.index);
    output.line(`stream of ${main.path}: ${url}`);
    if (cmd.player) {
      try {
        launchPlayer(cmd.player, url);
      } catch (error) {
        output.error(`${(error as Error).message}`);
      }
    }
  }
  return server;
}
