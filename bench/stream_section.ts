/**
 * The stream benchmark (issue 7): a seek while streaming. A libtorrent seed on loopback is
 * capped so the whole file would take about 30 s; a client starts downloading it with its HTTP
 * server on, and once the seed has sent it the first 5% of the file, a Range request for the
 * rest of the file from 75% on is sent and timed to its first byte (checked against the file).
 * Our client (`--stream`) and webtorrent-cli 4 take turns, each in a fresh folder, for a few
 * rounds.
 * @module
 */

import { startOurClient } from "../tests/support/our_client.ts";
import { freePort, type TrackedProcess, waitFor } from "../tests/support/process.ts";
import type { BenchPayload } from "./bench_payloads.ts";
import { median } from "./median.ts";
import { matchesFile, timeRangeFirstByte } from "./range_first_byte.ts";
import { type SeededSwarm, withSeededSwarm } from "./seeded_swarm.ts";
import type { BenchContext, BenchRow, Section, SectionResult } from "./section.ts";
import {
  findWebtorrent,
  startWebtorrent,
  type WebtorrentCli,
  type WebtorrentUnavailable,
} from "./webtorrent_cli.ts";

/** What to run. */
export interface StreamBenchOptions {
  readonly sizeMiB: number;
  readonly rounds: number;
  /** The seed's upload cap, bytes per second. */
  readonly seedBytesPerSecond: number;
  /** webtorrent-cli to compare with, or why there is none (then only ours is measured). */
  readonly webtorrent: WebtorrentCli | WebtorrentUnavailable;
}

/** Where the seek goes, as a fraction of the file. */
export const SEEK_AT = 0.75;

/** How much of the file the seed must have sent the client before the seek. */
export const SEEK_AFTER = 0.05;

/** The file size the section is specified at (smaller with a smaller `--size`). */
export const STREAM_SIZE_MIB = 256;

/** The seed's cap makes the whole file take this long. */
export const STREAM_FILE_SECONDS = 30;

type StreamClient = "ours" | "webtorrent";

interface StreamAttempt {
  readonly client: StreamClient;
  readonly result:
    | { readonly headersMs: number; readonly firstByteMs: number; readonly sentBefore: number }
    | { readonly error: string };
}

/**
 * Runs the stream benchmark. A round that fails is reported with its error; the others run.
 * @example
 * ```ts
 * const result = await benchStream(context, {
 *   sizeMiB: 8,
 *   rounds: 1,
 *   seedBytesPerSecond: 1 << 20,
 *   webtorrent: { unavailable: "not wanted here" },
 * });
 * ```
 */
export async function benchStream(
  context: BenchContext,
  options: StreamBenchOptions,
): Promise<SectionResult> {
  context.log(`stream: making a ${options.sizeMiB} MiB payload`);
  const payload = await context.payloads.singleFile(options.sizeMiB);
  const webtorrent = "command" in options.webtorrent ? options.webtorrent : undefined;
  const clients: StreamClient[] = webtorrent ? ["ours", "webtorrent"] : ["ours"];
  const attempts: StreamAttempt[] = [];
  await withSeededSwarm(payload, context.workDir, async (swarm) => {
    for (let round = 1; round <= options.rounds; round++) {
      for (const client of clients) {
        context.log(
          `stream: ${client}, seek to ${SEEK_AT * 100}%, round ${round}/${options.rounds}`,
        );
        const outDir = `${context.workDir}/stream-${client}`;
        const start = client === "ours"
          ? () => startOurs(payload, swarm, outDir)
          : () =>
            startWebtorrent(
              webtorrent!,
              swarm.trackedTorrentPath,
              payload.payload.name,
              outDir,
              freePort(),
              30_000,
            );
        attempts.push({ client, result: await seekOnce(payload, swarm, start, outDir) });
      }
    }
  }, { uploadRateLimit: options.seedBytesPerSecond });
  const rows = streamRows(attempts, clients);
  return {
    title: `stream: seek to ${SEEK_AT * 100}% of a ${options.sizeMiB} MiB file while it ` +
      `downloads from a libtorrent seed capped at ${
        (options.seedBytesPerSecond / 1e6).toFixed(2)
      } MB/s, Range request to first byte (median of ${options.rounds} round${
        options.rounds === 1 ? "" : "s"
      })`,
    columns: [
      { key: "client", header: "client" },
      { key: "firstByteMs", header: "first byte ms", digits: 0 },
      { key: "vsWebtorrent", header: "vs webtorrent", digits: 2 },
      { key: "minMs", header: "min ms", digits: 0 },
      { key: "maxMs", header: "max ms", digits: 0 },
      { key: "headersMs", header: "headers ms", digits: 0 },
      { key: "sentBeforePercent", header: "file sent before seek %", digits: 1 },
      { key: "ok", header: "ok" },
      { key: "error", header: "error" },
    ],
    rows,
    notes: [
      `Each round: a fresh client and folder; once the seed has sent it ${
        SEEK_AFTER * 100
      }% of the file (seed status lines, every 0.2 s), \`Range: bytes=<${
        SEEK_AT * 100
      }% of the file>-\` is sent to the client's HTTP server and timed to the first byte of ` +
      "the body, which is checked against the file. Target: ours <= 0.50 of webtorrent's.",
      "A first byte within a few ms means the piece at 75% was on disk before the seek: our " +
      "client picks rarest-first, which with one seed is a random order, so a round can find " +
      "it already fetched; webtorrent fetches in order (its default strategy).",
      "ours: `mod.ts <torrent> --no-tui --no-dht --port 0 --peer <seed> --stream=0 --seed`. " +
      "webtorrent: `webtorrent download <torrent with the tracker> --port N --out DIR --quiet " +
      "--keep-seeding`; it cannot dial a given peer, so it finds the seed through an " +
      "opentracker over HTTP (the seek waits until it is downloading, so finding the seed is " +
      "not timed).",
      webtorrent
        ? `webtorrent-cli ${webtorrent.version}, ${webtorrent.origin}; it has no switch for ` +
          "DHT and tries the public bootstrap nodes (out of reach here)."
        : `webtorrent not available: ${(options.webtorrent as WebtorrentUnavailable).unavailable}`,
    ],
  };
}

/** Our client's first-byte median from a stream result, for other sections to set beside. */
export function ourStreamFirstByteMs(result: SectionResult): number | null {
  const ms = result.rows.find((r) => r.client === "ours")?.firstByteMs;
  return typeof ms === "number" ? ms : null;
}

function streamRows(attempts: readonly StreamAttempt[], clients: StreamClient[]): BenchRow[] {
  const summaries = clients.map((client) => {
    const mine = attempts.filter((a) => a.client === client);
    const good = mine.flatMap((a) => "error" in a.result ? [] : [a.result]);
    const firstBytes = good.map((r) => r.firstByteMs);
    const failure = mine.find((a) => "error" in a.result)?.result as { error: string } | undefined;
    const sent = median(good.map((r) => r.sentBefore));
    return {
      client,
      firstByteMs: median(firstBytes),
      minMs: firstBytes.length ? Math.min(...firstBytes) : null,
      maxMs: firstBytes.length ? Math.max(...firstBytes) : null,
      headersMs: median(good.map((r) => r.headersMs)),
      sentBeforePercent: sent === null ? null : sent * 100,
      ok: `${good.length}/${mine.length}`,
      error: failure?.error ?? null,
    };
  });
  const theirs = summaries.find((s) => s.client === "webtorrent")?.firstByteMs;
  return summaries.map((s) => ({
    ...s,
    vsWebtorrent: s.firstByteMs !== null && theirs ? s.firstByteMs / theirs : null,
  }));
}

/** One client's run: start, wait until it is downloading, seek, time, check, stop. */
async function seekOnce(
  payload: BenchPayload,
  swarm: SeededSwarm,
  start: () => Promise<{ process: TrackedProcess; fileUrl: string }>,
  outDir: string,
): Promise<StreamAttempt["result"]> {
  const size = payload.payload.totalSize;
  const baseline = swarm.seed.status().uploaded;
  let run: { process: TrackedProcess; fileUrl: string } | undefined;
  try {
    run = await start();
    const ready = await swarm.seed.waitFor(
      (s) => s.uploaded - baseline >= SEEK_AFTER * size,
      120_000,
      `the seed to send ${SEEK_AFTER * 100}% of the file`,
    );
    const offset = Math.floor(size * SEEK_AT);
    const timed = await timeRangeFirstByte(run.fileUrl, offset, 120_000);
    if (!await matchesFile(payload.payload.root, offset, timed.firstChunk)) {
      throw new Error(`the first bytes at ${offset} are not the file's`);
    }
    return {
      headersMs: timed.headersMs,
      firstByteMs: timed.firstByteMs,
      sentBefore: (ready.uploaded - baseline) / size,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const tail = run?.process.output().split("\n").slice(-3).join(" / ") ?? "";
    return { error: `${message.split("\n")[0]}${tail ? ` (output: ${tail})` : ""}` };
  } finally {
    await run?.process.stop();
    await Deno.remove(outDir, { recursive: true }).catch(() => {});
  }
}

async function startOurs(
  payload: BenchPayload,
  swarm: SeededSwarm,
  outDir: string,
): Promise<{ process: TrackedProcess; fileUrl: string }> {
  const process = startOurClient([
    payload.torrentPath,
    "--no-tui",
    "--no-dht",
    "--out",
    outDir,
    "--port",
    "0",
    "--peer",
    `127.0.0.1:${swarm.seed.port}`,
    "--stream=0",
    "--seed",
  ]);
  try {
    const line = await waitFor(() => /^stream of .*: (http\S+)$/m.exec(process.output()), {
      timeoutMs: 30_000,
      intervalMs: 20,
      what: "our client's stream URL",
    });
    return { process, fileUrl: line[1] };
  } catch (error) {
    await process.stop();
    throw error;
  }
}

/**
 * The registry entry: a file of `--size` MiB up to 256 MiB, the seed capped so it takes ~30 s,
 * `--rounds` rounds; webtorrent-cli 4 found or installed bench-locally.
 * @example
 * ```ts
 * const result = await STREAM_SECTION.run(context);
 * ```
 */
export const STREAM_SECTION: Section = {
  name: "stream",
  summary: "seek while streaming: Range at 75% to first byte, ours vs webtorrent-cli (ms)",
  run: async (context) => {
    const sizeMiB = Math.min(STREAM_SIZE_MIB, context.sizeMiB);
    context.log("stream: looking for webtorrent-cli 4");
    return benchStream(context, {
      sizeMiB,
      rounds: context.rounds,
      seedBytesPerSecond: Math.round(sizeMiB * 2 ** 20 / STREAM_FILE_SECONDS),
      webtorrent: await findWebtorrent({ install: true }),
    });
  },
};
