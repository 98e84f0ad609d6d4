/**
 * The TUI frame-cost section: runs `benchTuiFrame` from `bench/tui_frame.ts` when that module
 * is there. It is loaded by a computed URL so this file type-checks and runs without it.
 * @module
 */

import type { Section, SectionResult } from "./section.ts";

const MODULE = new URL("./tui_frame.ts", import.meta.url);

/** What `benchTuiFrame()` resolves with. */
interface TuiFrameFigures {
  readonly msPerFrame: number;
  readonly bytesPerSmallChange: number;
}

/**
 * Measures the TUI's frame cost, or explains that the module is missing.
 * @example
 * ```ts
 * const result = await benchTui();
 * console.log(result.rows[0]);
 * ```
 */
export async function benchTui(): Promise<SectionResult> {
  const title = "tui: cost of one frame (bench/tui_frame.ts)";
  const columns = [
    { key: "msPerFrame", header: "ms/frame", digits: 3 },
    { key: "framesPerSecond", header: "frames/s", digits: 0 },
    { key: "bytesPerSmallChange", header: "bytes per one-number change" },
  ];
  try {
    await Deno.stat(MODULE);
  } catch {
    return { title, columns, rows: [], notes: ["bench/tui_frame.ts is not there: skipped"] };
  }
  const module = await import(MODULE.href) as { benchTuiFrame?: () => Promise<unknown> };
  if (typeof module.benchTuiFrame !== "function") {
    throw new Error("bench/tui_frame.ts does not export benchTuiFrame()");
  }
  const figures = await module.benchTuiFrame() as Partial<TuiFrameFigures>;
  const { msPerFrame, bytesPerSmallChange } = figures;
  if (typeof msPerFrame !== "number" || typeof bytesPerSmallChange !== "number") {
    throw new Error("benchTuiFrame() did not resolve with { msPerFrame, bytesPerSmallChange }");
  }
  return {
    title,
    columns,
    rows: [{ msPerFrame, framesPerSecond: 1000 / msPerFrame, bytesPerSmallChange }],
    notes: ["a full redraw of a busy torrent, layout + draw + diff, averaged over many frames"],
  };
}

/**
 * The registry entry.
 * @example
 * ```ts
 * const result = await TUI_SECTION.run(context);
 * ```
 */
export const TUI_SECTION: Section = {
  name: "tui",
  summary: "TUI frame cost: ms per full redraw, bytes for a one-number change",
  run: () => benchTui(),
};
