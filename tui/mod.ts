/**
 * The terminal UI: {@linkcode runTui} for the interactive full-screen view and
 * {@linkcode formatProgressLine} for plain one-line-per-second output.
 * @module
 */

export { runTui, type TuiOptions } from "./run_tui.ts";
export type { TorrentControl, TuiExitReason, TuiResult } from "./torrent_control.ts";
export { formatProgressLine } from "./progress_line.ts";
export { canRunTui, type TerminalIo, TuiError } from "./terminal_io.ts";
