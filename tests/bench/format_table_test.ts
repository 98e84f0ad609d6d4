import assert from "node:assert/strict";
import { formatSection } from "../../bench/format_table.ts";

Deno.test("formatSection aligns numbers right, text left, and drops empty columns", () => {
  const text = formatSection({
    title: "demo",
    columns: [
      { key: "client", header: "client" },
      { key: "rate", header: "MiB/s", digits: 1 },
      { key: "ok", header: "ok" },
      { key: "error", header: "error" },
    ],
    rows: [
      { client: "ours", rate: 101.25, ok: true, error: null },
      { client: "libtorrent", rate: null, ok: false, error: null },
    ],
    notes: ["a note"],
  });
  assert.equal(
    text,
    [
      "== demo ==",
      "client      MiB/s  ok",
      "ours        101.3  yes",
      "libtorrent      -  NO",
      "  * a note",
      "",
    ].join("\n"),
  );
});
