/**
 * Renders a model the way the running UI does (renderScreen, then FrameWriter) into a headless
 * terminal emulator, so tests assert on what a user would see.
 * @module
 */

import type { TorrentSnapshot } from "../../src/torrent/snapshot.ts";
import { FrameWriter } from "../../tui/frame_writer.ts";
import type { Size } from "../../tui/layout.ts";
import { renderScreen } from "../../tui/render_screen.ts";
import type { ColorLevel } from "../../tui/sgr.ts";
import { initialUiState, type UiState } from "../../tui/ui_state.ts";
import { type XtermScreen, xtermScreen } from "./xterm_screen.ts";

/**
 * The screen showing these snapshots; dispose it after use.
 * @example
 * ```ts
 * const screen = await showScreen([fixtureSnapshot()], { columns: 120, rows: 30 });
 * ```
 */
export async function showScreen(
  snapshots: readonly TorrentSnapshot[],
  size: Size,
  ui: Partial<UiState> = {},
  level: ColorLevel = "ansi256",
): Promise<XtermScreen> {
  const state = { ...initialUiState(snapshots.length), ...ui };
  const buf = renderScreen({ snapshots, ui: state, now: 0 }, size);
  const screen = xtermScreen(size.columns, size.rows);
  await screen.write(new FrameWriter(level).frame(buf));
  return screen;
}

/**
 * The row index of the first line containing `text`, or -1.
 * @example
 * ```ts
 * findLine(screen, "10.0.0.2:6881");
 * ```
 */
export function findLine(screen: XtermScreen, text: string): number {
  return screen.lines().findIndex((l) => l.includes(text));
}
