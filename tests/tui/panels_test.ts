import assert from "node:assert/strict";
import { PieceCell } from "../../src/torrent/snapshot.ts";
import { torrentLayout } from "../../tui/layout.ts";
import { KEY_HELP } from "../../tui/panels/help.ts";
import { peerFlags } from "../../tui/panels/peers.ts";
import { pieceCells, REQUESTED, REQUESTED_BY_SELECTED } from "../../tui/panels/piece_map.ts";
import { fixtureSnapshot, peer, PIECES } from "./fixtures.ts";
import { findLine, showScreen } from "./screen_helpers.ts";

const WIDE = { columns: 160, rows: 50 };

Deno.test("header: name, state, rates, ratio, peers; then bar, percent, sizes, ETA", async () => {
  const screen = await showScreen([fixtureSnapshot()], WIDE);
  const top = screen.line(0);
  assert.match(
    top,
    /^ example-distro-1\.0\.iso {2}▼ downloading +↓ 1\.5 KiB\/s {3}↑ 512 B\/s {3}ratio 0\.25 {3}3 peers $/,
  );
  const second = screen.line(1);
  assert.match(second, /^ █+[▏▎▍▌▋▊▉]?░+ {2}50\.0% {3}4\.0 MiB \/ 8\.0 MiB {3}ETA 3m05s $/);
  const bar = second.trim().split(" ")[0];
  const full = bar.split("█").length - 1;
  assert.ok(Math.abs(full - bar.length / 2) <= 1, `half full: ${full} of ${bar.length}`);
  assert.equal(screen.cell(1, 0).bold, true);
  screen.dispose();
});

Deno.test("peers table: sorted by download rate, aligned columns, flags", async () => {
  const screen = await showScreen([fixtureSnapshot()], WIDE);
  const rows = ["10.0.0.2:6881", "10.0.0.3:51413", "10.0.0.4:6881"].map((a) => findLine(screen, a));
  assert.ok(rows[0] > 0 && rows[1] === rows[0] + 1 && rows[2] === rows[1] + 1, `rows ${rows}`);
  const header = screen.line(rows[0] - 1);
  assert.match(header, /Address +Client +Flags +Down▾ +Up Have +Req/);
  const first = screen.line(rows[0]);
  assert.match(first, /10\.0\.0\.2:6881 +Transmission 4\.0\.5 D U I +1\.0 KiB\/s +· +50% +\S+ +7 /);
  assert.match(screen.line(rows[2]), /10\.0\.0\.4:6881 +aria2 1\.37\.0 +K {5}\s+· +· +25%/);
  // Right-aligned: the "Down" figures end in the same column.
  const end = (y: number) => screen.line(y).indexOf("KiB/s") + 5;
  assert.equal(end(rows[0]), screen.line(rows[1]).indexOf("512 B/s") + 7);
  // The focused table's selected row has a background; other rows do not.
  assert.equal(screen.cell(3, rows[0]).bgDefault, false);
  assert.equal(screen.cell(3, rows[1]).bgDefault, true);
  screen.dispose();
});

Deno.test("peer flags follow qBittorrent's letters", () => {
  const p = peer({ address: "a" });
  assert.equal(peerFlags({ ...p, amInterested: true, peerChoking: true }), "d     ");
  assert.equal(peerFlags({ ...p, amInterested: false, peerChoking: false }), "K     ");
  assert.equal(
    peerFlags({ ...p, peerInterested: true, amChoking: true, incoming: true }),
    "D u I ",
  );
  assert.equal(peerFlags({ ...p, peerInterested: false, amChoking: false }), "D ?   ");
  assert.equal(peerFlags({ ...p, incoming: true, encryption: "rc4" }), "D   IE");
  assert.equal(peerFlags({ ...p, encryption: "plaintext-mse" }), "D    e");
});

Deno.test("piece map: one glyph per piece state, scaled up to fill the panel", () => {
  const cells = pieceCells(PIECES, new Uint8Array(10), 25);
  assert.equal(cells.map((c) => c.glyph).join(""), "████████▓▓░░░░▒▒····");
});

Deno.test("piece map: several pieces per cell aggregate, requests highlight", () => {
  const none = new Uint8Array(10);
  assert.equal(pieceCells(PIECES, none, 3).map((c) => c.glyph).join(""), "█▓▒");
  const H = PieceCell.Have;
  const M = PieceCell.Missing;
  const partial = new Uint8Array([H, M, M, M, H, H, H, M]);
  assert.equal(pieceCells(partial, new Uint8Array(8), 2).map((c) => c.glyph).join(""), "▂▆");
  const requests = new Uint8Array(8);
  requests[1] = REQUESTED;
  assert.equal(pieceCells(partial, requests, 2)[0].glyph, "▓");
  requests[6] = REQUESTED | REQUESTED_BY_SELECTED;
  const selected = pieceCells(partial, requests, 2)[1];
  assert.notEqual(selected.style, pieceCells(partial, new Uint8Array(8), 2)[1].style);
});

Deno.test("piece map on screen shows the known pattern and the legend", async () => {
  const screen = await showScreen([fixtureSnapshot()], WIDE, { focus: "files" });
  const layout = torrentLayout(WIDE);
  assert.equal(layout.kind, "full");
  if (layout.kind !== "full") return;
  const r = layout.panels.pieces;
  const cellsPerPiece = Math.floor(((r.width - 4) * (r.height - 3)) / 10);
  const row = screen.line(r.y + 1).slice(r.x + 2, r.x + 2 + 10 * cellsPerPiece);
  const expected = "████▓░░▒··".split("").map((g) => g.repeat(cellsPerPiece)).join("");
  // The map wraps at the panel width; compare the cells in reading order.
  const mapText = Array.from(
    { length: r.height - 3 },
    (_, i) => screen.line(r.y + 1 + i).slice(r.x + 2, r.x + r.width - 2),
  ).join("");
  assert.equal(mapText.slice(0, expected.length), expected);
  assert.ok(row.startsWith("████"));
  assert.match(
    screen.line(r.y + r.height - 2),
    /█ have {2}▓ active {2}░ missing {2}▒ priority {2}· skipped/,
  );
  assert.match(screen.line(r.y), /Pieces 4\/10/);
  screen.dispose();
});

Deno.test("files, trackers and log rows", async () => {
  const screen = await showScreen([fixtureSnapshot()], WIDE);
  assert.match(
    screen.line(findLine(screen, "example/disc.iso")),
    /example\/disc\.iso +8\.0 MiB +50\.0% .* normal/,
  );
  assert.match(screen.line(findLine(screen, "example/extras.tar")), /2\.0 MiB +0\.0% +✕ skip/);
  assert.match(
    screen.line(findLine(screen, "tracker.test")),
    /● ok +http:\/\/tracker\.test\/announce/,
  );
  assert.match(
    screen.line(findLine(screen, "tracker.test") + 1),
    /3 peers · 2 seeders · 1 leechers/,
  );
  assert.ok(findLine(screen, "↳ connection refused") > 0);
  assert.ok(findLine(screen, "tracker udp://broken.test:1337 failed") > 0);
  screen.dispose();
});

Deno.test("80x24 keeps the essential columns readable", async () => {
  const screen = await showScreen([fixtureSnapshot()], { columns: 80, rows: 24 });
  const lines = screen.lines();
  assert.match(lines[0], /example-distro-1\.0\.iso/);
  assert.match(
    screen.line(findLine(screen, "10.0.0.2:6881")),
    /10\.0\.0\.2:6881 +Transmission 4\.0\.5 D U I +1\.0 KiB\/s/,
  );
  assert.match(lines[23], /\? help {2}Tab panel/);
  screen.dispose();
});

Deno.test("wide characters in names keep the columns after them aligned", async () => {
  const snap = fixtureSnapshot({ name: "Big Buck Bunny 中文字幕" });
  const screen = await showScreen([snap], WIDE);
  const line0 = screen.line(0);
  assert.ok(line0.startsWith(" Big Buck Bunny 中文字幕  ▼ downloading"));
  assert.equal(screen.cell(16, 0).chars, "中");
  assert.equal(screen.cell(17, 0).width, 0);
  // "3 peers" still ends one cell before the right edge.
  assert.equal(screen.cell(158, 0).chars, "s");
  screen.dispose();
});

Deno.test("tiny terminals get plain summary lines", async () => {
  const screen = await showScreen([fixtureSnapshot()], { columns: 30, rows: 6 });
  assert.deepEqual(screen.lines(), [
    "example-distro-1.0.iso",
    "▼ downloading 50.0%",
    "↓ 1.5 KiB/s  ↑ 512 B/s",
    "3 peers  ETA 3m05s",
    "q quit",
    "",
  ]);
  screen.dispose();
});

Deno.test("several torrents start on the list", async () => {
  const a = fixtureSnapshot();
  const b = fixtureSnapshot({ name: "second.iso", state: "seeding", verifiedBytes: 8 << 20 });
  const screen = await showScreen([a, b], { columns: 100, rows: 20 });
  assert.match(screen.line(0), /bittorrent-ts {3}2 torrents {3}↓ 3\.0 KiB\/s {3}↑ 1\.0 KiB\/s/);
  assert.match(screen.line(findLine(screen, "example-distro")), /▼ downloading .*50\.0%/);
  assert.match(screen.line(findLine(screen, "second.iso")), /▲ seeding .*100\.0%/);
  screen.dispose();
});

Deno.test("the help overlay lists every key", async () => {
  const screen = await showScreen([fixtureSnapshot()], WIDE, { help: true });
  const text = screen.lines().join("\n");
  for (const [keys, meaning] of KEY_HELP) {
    assert.ok(text.includes(keys) && text.includes(meaning), `${keys}: ${meaning}`);
  }
  screen.dispose();
});

Deno.test("NO_COLOR: no colours at all, but focus and selection still show", async () => {
  const screen = await showScreen([fixtureSnapshot()], WIDE, {}, "none");
  for (let y = 0; y < WIDE.rows; y++) {
    for (let x = 0; x < WIDE.columns; x++) {
      const c = screen.cell(x, y);
      assert.ok(c.fgDefault && c.bgDefault, `colour at ${x},${y}`);
    }
  }
  const row = findLine(screen, "10.0.0.2:6881");
  assert.equal(screen.cell(3, row).inverse, true);
  assert.equal(screen.cell(0, 2).chars, "┏"); // the focused panel's heavy border
  screen.dispose();
});
