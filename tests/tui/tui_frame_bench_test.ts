import assert from "node:assert/strict";
import { benchTuiFrame } from "../../bench/tui_frame.ts";

Deno.test("busy-torrent frame: one changed number writes well under 2 KiB", async () => {
  const { msPerFrame, bytesPerSmallChange } = await benchTuiFrame(20);
  assert.ok(bytesPerSmallChange > 0 && bytesPerSmallChange < 2048, `${bytesPerSmallChange} bytes`);
  assert.ok(Number.isFinite(msPerFrame) && msPerFrame > 0);
});
