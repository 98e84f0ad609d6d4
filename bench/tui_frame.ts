/**
 * TUI frame cost on a busy torrent: 200 peers, 4,000 pieces, a 160x50 screen. Measures the
 * full pipeline a redraw runs (lay out and draw every panel, then diff against the previous
 * frame) averaged over many frames with changing snapshots, and the bytes written when a
 * single displayed number changes. Targets: under 5 ms a frame, under 2 KiB for such a change.
 * Run alone: `deno run -A bench/tui_frame.ts`.
 * @module
 */

import type { TorrentSnapshot } from "../src/torrent/snapshot.ts";
import { FrameWriter } from "../tui/frame_writer.ts";
import { renderScreen } from "../tui/render_screen.ts";
import { syntheticSnapshotAt } from "../tui/synthetic_torrent.ts";
import { initialUiState } from "../tui/ui_state.ts";

const SIZE = { columns: 160, rows: 50 };
const SHAPE = { peers: 200, pieces: 4000, files: 8 };

/**
 * Milliseconds per full frame and bytes written for a one-number change.
 * @example
 * ```ts
 * const { msPerFrame, bytesPerSmallChange } = await benchTuiFrame();
 * ```
 */
export async function benchTuiFrame(
  frames = 400,
): Promise<{ msPerFrame: number; bytesPerSmallChange: number }> {
  // Snapshots are built up front: only the UI's own work is timed.
  const snapshots: TorrentSnapshot[] = Array.from(
    { length: 40 },
    (_, i) => syntheticSnapshotAt(SHAPE, 60 + i * 0.25, 1_700_000_000_000),
  );
  const ui = initialUiState(1);
  const writer = new FrameWriter("ansi256");
  const frame = (s: TorrentSnapshot) =>
    writer.frame(renderScreen({ snapshots: [s], ui, now: 1_700_000_000_000 }, SIZE));

  for (let i = 0; i < 50; i++) frame(snapshots[i % snapshots.length]);
  // Let pending tasks run before timing, so they do not land inside the measured loop.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const start = performance.now();
  for (let i = 0; i < frames; i++) frame(snapshots[i % snapshots.length]);
  const msPerFrame = (performance.now() - start) / frames;

  const base = snapshots[0];
  frame(base);
  frame(base);
  const changed = { ...base, downRate: base.downRate + 100 * 1024 };
  const bytesPerSmallChange = new TextEncoder().encode(frame(changed)).length;
  return { msPerFrame, bytesPerSmallChange };
}

if (import.meta.main) {
  const r = await benchTuiFrame();
  console.log(
    `tui frame (160x50, 200 peers, 4000 pieces): ${
      r.msPerFrame.toFixed(2)
    } ms/frame (target < 5), ` +
      `${r.bytesPerSmallChange} bytes for one changed number (target < 2048)`,
  );
  console.log(JSON.stringify(r));
}
