import assert from "node:assert/strict";
import type { Rect } from "../../tui/cell_buffer.ts";
import { listLayout, PANELS, torrentLayout } from "../../tui/layout.ts";
import { renderScreen } from "../../tui/render_screen.ts";
import { initialUiState } from "../../tui/ui_state.ts";
import { fixtureSnapshot } from "./fixtures.ts";

const WIDTHS = [0, 1, 5, 20, 39, 40, 41, 59, 60, 80, 100, 119, 120, 160, 250];
const HEIGHTS = [0, 1, 3, 9, 10, 12, 18, 19, 24, 29, 30, 50, 70];

function inside(r: Rect, w: number, h: number): boolean {
  return r.x >= 0 && r.y >= 0 && r.x + r.width <= w && r.y + r.height <= h;
}

function overlap(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

Deno.test("layout kinds by size: full, stacked, compact, tiny", () => {
  assert.equal(torrentLayout({ columns: 160, rows: 50 }).kind, "full");
  assert.equal(torrentLayout({ columns: 80, rows: 24 }).kind, "full");
  assert.equal(torrentLayout({ columns: 50, rows: 24 }).kind, "compact");
  assert.equal(torrentLayout({ columns: 80, rows: 15 }).kind, "compact");
  assert.equal(torrentLayout({ columns: 39, rows: 24 }).kind, "tiny");
  assert.equal(torrentLayout({ columns: 80, rows: 9 }).kind, "tiny");
  assert.equal(torrentLayout({ columns: 40, rows: 10 }).kind, "compact");
});

Deno.test("panels stay on screen and never overlap, at every size", () => {
  for (const w of WIDTHS) {
    for (const h of HEIGHTS) {
      const layout = torrentLayout({ columns: w, rows: h });
      if (layout.kind === "tiny") {
        assert.ok(w < 40 || h < 10);
        continue;
      }
      const rects = layout.kind === "full"
        ? [layout.header, layout.hints, ...PANELS.map((p) => layout.panels[p])]
        : [layout.header, layout.hints, layout.tabs, layout.body];
      for (const r of rects) assert.ok(inside(r, w, h), `${w}x${h}: ${JSON.stringify(r)}`);
      for (let i = 0; i < rects.length; i++) {
        for (let j = i + 1; j < rects.length; j++) {
          assert.ok(!overlap(rects[i], rects[j]), `${w}x${h}: ${i} overlaps ${j}`);
        }
      }
      if (layout.kind === "full") {
        for (const p of PANELS) assert.ok(layout.panels[p].height >= 4, `${w}x${h} ${p}`);
      }
      const list = listLayout({ columns: w, rows: h });
      if (list.kind === "list") assert.ok(inside(list.table, w, h));
    }
  }
});

Deno.test("every view renders at every size without throwing, wide characters intact", () => {
  const one = [fixtureSnapshot({ name: "字幕 Big Buck Bunny 中文字幕 [4K]" })];
  const two = [
    fixtureSnapshot(),
    fixtureSnapshot({ name: "b", pieceCount: 0, pieces: new Uint8Array() }),
  ];
  for (const w of WIDTHS) {
    for (const h of HEIGHTS) {
      for (const snapshots of [one, two]) {
        const size = { columns: w, rows: h };
        const list = { ...initialUiState(snapshots.length), help: true };
        const views = [
          list,
          ...PANELS.map((focus) => ({
            ...list,
            view: "torrent" as const,
            focus,
            help: focus === "files",
          })),
        ];
        for (const ui of views) {
          const buf = renderScreen({ snapshots, ui, now: 0 }, size);
          // Every right half of a wide character follows its left half on the same row.
          buf.chars.forEach((c, i) => {
            if (c === "") assert.ok(i % w > 0 && buf.chars[i - 1] !== "", `${w}x${h} cell ${i}`);
          });
        }
      }
    }
  }
});

Deno.test("a torrent without metadata, peers or trackers still renders sensibly", () => {
  const empty = fixtureSnapshot({
    state: "metadata",
    pieceCount: 0,
    pieces: new Uint8Array(),
    peers: [],
    files: [],
    trackers: [],
    log: [],
    wantedBytes: 0,
    verifiedBytes: 0,
    etaSeconds: undefined,
    rateHistory: { down: [], up: [] },
  });
  const buf = renderScreen({ snapshots: [empty], ui: initialUiState(1), now: 0 }, {
    columns: 160,
    rows: 50,
  });
  const text = Array.from({ length: 50 }, (_, y) => buf.line(y)).join("\n");
  for (
    const msg of [
      "… metadata",
      "No peers connected yet",
      "Waiting for metadata…",
      "No file list yet",
      "No trackers",
    ]
  ) {
    assert.ok(text.includes(msg), msg);
  }
});
