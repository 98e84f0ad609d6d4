/**
 * Shows the TUI on synthetic torrents, for looking at it without a network:
 * `deno run -A tui/dev_preview.ts [--torrents N] [--peers N] [--pieces N] [--files N]
 * [--stream [--no-hls]]`.
 * `--stream` adds a made-up stream server (seek latency, file URLs, HLS unless `--no-hls`).
 * @module
 */

import { runTui } from "./run_tui.ts";
import { SyntheticTorrent } from "./synthetic_torrent.ts";

const NAMES = [
  "Sintel (2010) [1080p] Blender Open Movie",
  "debian-12.8.0-amd64-DVD-1.iso",
  "Big Buck Bunny 中文字幕 [4K]",
  "archlinux-2024.12.01-x86_64.iso",
];

/**
 * The value after `--name` in the arguments as a positive integer, else `fallback`.
 * @example
 * ```ts
 * numberArg(["--peers", "200"], "peers", 40); // 200
 * ```
 */
export function numberArg(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  const v = i >= 0 ? Number(args[i + 1]) : NaN;
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

if (import.meta.main) {
  const count = numberArg(Deno.args, "torrents", 1);
  const stream = Deno.args.includes("--stream") && { hls: !Deno.args.includes("--no-hls") };
  const torrents = Array.from({ length: count }, (_, i) =>
    new SyntheticTorrent({
      name: NAMES[i % NAMES.length],
      peers: numberArg(Deno.args, "peers", 40) >> (i % 3),
      pieces: numberArg(Deno.args, "pieces", 1200) * (i + 1),
      files: numberArg(Deno.args, "files", 6),
      seed: i + 1,
      startProgress: [0.35, 0.97, 0.05, 1][i % 4],
      stream,
    }));
  const { reason } = await runTui(torrents);
  console.log(`tui closed: ${reason}`);
}
