/**
 * The small commands that work on a .torrent without a swarm: `info`, `magnet`, `create`.
 * @module
 */

import { createTorrent } from "../metainfo/create_torrent.ts";
import { formatMetainfo } from "../metainfo/format_metainfo.ts";
import { toMagnet } from "../metainfo/magnet.ts";
import { formatBytes } from "../util/format.ts";
import type { Command } from "./args.ts";
import { CliError, type Output } from "./cli_error.ts";
import { loadTorrentFile } from "./load_torrent_file.ts";
import { loadSources } from "./client_session.ts";
import { saveDht, startDht } from "./dht_setup.ts";
import { fetchMetainfo } from "../torrent/fetch_metainfo.ts";
import { standardAnnouncers } from "../tracker/announcers.ts";
import { UdpTrackerClient } from "../tracker/udp_tracker.ts";
import { VERSION } from "../version.ts";

/**
 * `mod.ts info <file.torrent|magnet>`: a magnet link's metadata is fetched from its peers first.
 * @example
 * ```ts
 * await runInfo(parseArgs(["info", "file.torrent"]) as InfoCommand, consoleOutput);
 * ```
 */
export async function runInfo(
  cmd: Extract<Command, { kind: "info" }>,
  output: Output,
): Promise<number> {
  const [source] = await loadSources([cmd.torrent]);
  if ("metainfo" in source) {
    output.line(formatMetainfo(source.metainfo));
    return 0;
  }
  const udp = new UdpTrackerClient();
  const dht = cmd.dht ? await startDht(0, cmd.dhtBootstrap).catch(() => undefined) : undefined;
  try {
    const metainfo = await fetchMetainfo(source.magnet, {
      announcers: standardAnnouncers(udp),
      dht,
      peers: cmd.peers,
      giveUpAfterMs: cmd.giveUpSeconds * 1000,
      encryption: cmd.encryption,
    });
    output.line(formatMetainfo(metainfo));
    return 0;
  } catch (error) {
    throw new CliError((error as Error).message);
  } finally {
    if (dht) await saveDht(dht);
    udp.close();
  }
}

/**
 * `mod.ts magnet <file.torrent>`: the magnet link with name, size and every tracker.
 * @example
 * ```ts
 * await runMagnet("file.torrent", consoleOutput);
 * ```
 */
export async function runMagnet(path: string, output: Output): Promise<number> {
  output.line(toMagnet(await loadTorrentFile(path)));
  return 0;
}

/**
 * `mod.ts create <path> -o out.torrent`.
 * @example
 * ```ts
 * await runCreate(parseArgs(["create", "dir", "-o", "x.torrent"]), consoleOutput);
 * ```
 */
export async function runCreate(
  cmd: Extract<Command, { kind: "create" }>,
  output: Output,
): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = await createTorrent({
      path: cmd.path,
      trackers: cmd.trackers,
      pieceLength: cmd.pieceLength,
      comment: cmd.comment,
      private: cmd.private,
      createdBy: `bittorrent-ts ${VERSION}`,
    });
  } catch (error) {
    throw new CliError(`cannot make a torrent of ${cmd.path}: ${(error as Error).message}`);
  }
  try {
    await Deno.writeFile(cmd.output, bytes, { createNew: true });
  } catch (error) {
    throw new CliError(`cannot write ${cmd.output}: ${(error as Error).message}`);
  }
  const m = await loadTorrentFile(cmd.output);
  output.line(
    `created ${cmd.output}: ${m.name}, ${formatBytes(m.totalLength)} in ${m.pieceCount} pieces of ${
      formatBytes(m.pieceLength)
    }, info-hash ${m.infoHashHex}`,
  );
  return 0;
}
