import assert from "node:assert/strict";
import { formatProgressLine } from "../../tui/progress_line.ts";
import { fixtureSnapshot } from "./fixtures.ts";

Deno.test("progress line while downloading", () => {
  assert.equal(
    formatProgressLine(fixtureSnapshot()),
    "[ 50.0%] 4.0 MiB/8.0 MiB  down 1.5 KiB/s  up 512 B/s  peers 3  eta 3m05s",
  );
});

Deno.test("progress line for other states and unknown ETA", () => {
  const full = { verifiedBytes: 8 << 20, etaSeconds: undefined };
  assert.equal(
    formatProgressLine(fixtureSnapshot({ ...full, state: "seeding" })),
    "[100.0%] 8.0 MiB/8.0 MiB  down 1.5 KiB/s  up 512 B/s  peers 3  seeding",
  );
  assert.match(formatProgressLine(fixtureSnapshot({ etaSeconds: undefined })), /eta ∞$/);
  assert.match(
    formatProgressLine(fixtureSnapshot({ state: "error", error: "disk full\x1b[2J" })),
    /error: disk full\uFFFD\[2J$/,
  );
});

Deno.test("progress line while a magnet link's metadata is fetched", () => {
  assert.equal(
    formatProgressLine(fixtureSnapshot({ state: "metadata", name: "album" })),
    "[  meta] album: fetching metadata from 3 peers",
  );
});
