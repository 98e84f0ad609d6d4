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
import { DEFAULT_PORT, type DownloadCommand } from "./args.ts";
import { CliError, type Output } from "./cli_error.ts";

/** A started client. */
export interface ClientSession {
  readonly torrents: readonly Torrent[];
  readonly port: number;
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
  const stop = async () => {
    listener.close();
    await Promise.all(torrents.map((t) => t.stop()));
    udp.close();
  };
  try {
    for (const t of torrents) {
      listener.register(t);
      await t.start();
      t.addPeers(cmd.peers, "--peer");
    }
  } catch (error) {
    await stop();
    throw new CliError((error as Error).message);
  }
  return { torrents, port: listener.port, stop };
}
