/**
 * webtorrent-cli 4 (WebTorrent 1.9) for the stream benchmark: found on PATH or in a bench-local
 * npm prefix, installed there if asked, and run as `webtorrent download <torrent> --port N
 * --out DIR --quiet --keep-seeding`, whose HTTP server answers Range requests at
 * `http://127.0.0.1:N/<file index>/<file name>` once the torrent's metadata is in.
 *
 * Found on this machine: version 6 does not install here and version 4 only with
 * `--ignore-scripts` (the optional native uTP module is then missing; TCP works). It cannot be
 * told to dial a peer, so it is given a torrent whose tracker lists the seed: opentracker over
 * HTTP works on loopback. It has no switch for DHT and tries the public bootstrap nodes, which
 * are out of reach here.
 * @module
 */

import { spawnTracked, type TrackedProcess, waitFor } from "../tests/support/process.ts";

/** A webtorrent-cli that runs. */
export interface WebtorrentCli {
  /** The `webtorrent` executable. */
  readonly command: string;
  /** What `webtorrent version` printed, e.g. "4.1.0 (1.9.7)". */
  readonly version: string;
  /** Where it came from: on PATH, bench-local, or installed by this run (with the command). */
  readonly origin: string;
}

/** Why there is no webtorrent-cli to run. */
export interface WebtorrentUnavailable {
  readonly unavailable: string;
}

/** The bench-local npm prefix (git-ignored). */
export const WEBTORRENT_PREFIX = new URL("./out/webtorrent", import.meta.url).pathname;

/** The command that installs it there. */
export const WEBTORRENT_INSTALL = [
  "npm",
  "install",
  "--prefix",
  WEBTORRENT_PREFIX,
  "--ignore-scripts",
  "--no-audit",
  "--no-fund",
  "webtorrent-cli@4",
] as const;

const LOCAL_BIN = `${WEBTORRENT_PREFIX}/node_modules/.bin/webtorrent`;

/**
 * Finds webtorrent-cli 4: `webtorrent` on PATH, else the bench-local one, else (with
 * `install`) installs it into {@linkcode WEBTORRENT_PREFIX} with {@linkcode WEBTORRENT_INSTALL}.
 * @example
 * ```ts
 * const cli = await findWebtorrent({ install: false });
 * if ("unavailable" in cli) console.log(`webtorrent not available: ${cli.unavailable}`);
 * ```
 */
export async function findWebtorrent(
  options: { install: boolean },
): Promise<WebtorrentCli | WebtorrentUnavailable> {
  const reasons: string[] = [];
  for (const [command, origin] of [["webtorrent", "on PATH"], [LOCAL_BIN, "bench-local"]]) {
    const version = await versionOf(command);
    if (version.startsWith("4.")) return { command, version, origin };
    reasons.push(`${origin}: ${version === "" ? "none" : `version ${version}, not 4`}`);
  }
  if (!options.install) return { unavailable: reasons.join("; ") };
  const install = await run(WEBTORRENT_INSTALL[0], WEBTORRENT_INSTALL.slice(1), 300_000)
    .catch((error) => ({ ok: false, text: (error as Error).message }));
  const version = await versionOf(LOCAL_BIN);
  if (version.startsWith("4.")) {
    return {
      command: LOCAL_BIN,
      version,
      origin: `installed by this run: ${WEBTORRENT_INSTALL.join(" ")}`,
    };
  }
  const why = install.ok ? `installed, but version "${version}"` : install.text.trim();
  return {
    unavailable: `${reasons.join("; ")}; \`${WEBTORRENT_INSTALL.join(" ")}\` failed: ${
      why.split("\n").slice(-3).join(" / ")
    }`,
  };
}

/** A running webtorrent download with its HTTP server up. */
export interface WebtorrentRun {
  readonly process: TrackedProcess;
  /** The URL of file 0 (a single-file torrent's file). */
  readonly fileUrl: string;
}

/**
 * Starts `webtorrent download` on `torrentPath` into `outDir` with its HTTP server on
 * `httpPort`, and resolves once the server serves the torrent (metadata in). Stop it with
 * `process.stop()`.
 * @example
 * ```ts
 * const wt = await startWebtorrent(cli, "x.torrent", "x.bin", outDir, freePort(), 20_000);
 * await wt.process.stop();
 * ```
 */
export async function startWebtorrent(
  cli: WebtorrentCli,
  torrentPath: string,
  fileName: string,
  outDir: string,
  httpPort: number,
  timeoutMs: number,
): Promise<WebtorrentRun> {
  const process = spawnTracked(cli.command, [
    "download",
    torrentPath,
    "--port",
    String(httpPort),
    "--out",
    outDir,
    "--quiet",
    // It quits when the download is done unless a player or this keeps it up.
    "--keep-seeding",
  ]);
  let exited = false;
  process.child.status.then(() => (exited = true));
  const base = `http://127.0.0.1:${httpPort}`;
  try {
    await waitFor(async () => {
      if (exited) throw new Error(`webtorrent exited:\n${process.output()}`);
      try {
        // The index page is served once the torrent is ready, so file requests are answered.
        const response = await fetch(`${base}/`, { signal: AbortSignal.timeout(1_000) });
        await response.body?.cancel();
        return response.ok;
      } catch {
        return false;
      }
    }, { timeoutMs, intervalMs: 20, what: "webtorrent's HTTP server" });
  } catch (error) {
    await process.stop();
    throw error;
  }
  return { process, fileUrl: `${base}/0/${encodeURIComponent(fileName)}` };
}

async function versionOf(command: string): Promise<string> {
  const result = await run(command, ["version"], 30_000).catch(() => undefined);
  return result?.ok ? result.text.trim() : "";
}

async function run(
  command: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<{ ok: boolean; text: string }> {
  const result = await new Deno.Command(command, {
    args: [...args],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { ok: result.success, text: decode(result.stdout) + decode(result.stderr) };
}
