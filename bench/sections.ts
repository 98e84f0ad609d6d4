/**
 * The registry of benchmark sections, in the order `main.ts` runs them. A new benchmark is a
 * module exporting a {@linkcode Section}, added here; `--only` picks sections by name.
 * @module
 */

import { benchDownload, DOWNLOAD_CLIENTS } from "./download_section.ts";
import { RECHECK_SECTION } from "./recheck_section.ts";
import type { Section } from "./section.ts";
import { SEED_SECTION } from "./seed_section.ts";
import { STREAM_SECTION } from "./stream_section.ts";
import { TRANSCODE_SECTION } from "./transcode_section.ts";
import { TUI_SECTION } from "./tui_section.ts";

/**
 * The download benchmark at `--size` after a warm-up, `--rounds` times, with our client also
 * run at a quarter of the size to show whether its memory grows with the payload.
 * @example
 * ```ts
 * const result = await DOWNLOAD_SECTION.run(context);
 * ```
 */
export const DOWNLOAD_SECTION: Section = {
  name: "download",
  summary: "download from a libtorrent seed: ours vs aria2 vs libtorrent (MiB/s, peak RSS, CPU)",
  run: (context) =>
    benchDownload(context, {
      sizeMiB: context.sizeMiB,
      clients: DOWNLOAD_CLIENTS,
      rounds: context.rounds,
      warmUp: true,
      flatnessSizeMiB: Math.max(1, Math.round(context.sizeMiB / 4)),
    }),
};

/**
 * Every section.
 * @example
 * ```ts
 * console.log(SECTIONS.map((s) => s.name));
 * // ["download", "seed", "recheck", "stream", "transcode", "tui"]
 * ```
 */
export const SECTIONS: readonly Section[] = [
  DOWNLOAD_SECTION,
  SEED_SECTION,
  RECHECK_SECTION,
  STREAM_SECTION,
  TRANSCODE_SECTION,
  TUI_SECTION,
];
