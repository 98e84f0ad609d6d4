import assert from "node:assert/strict";
import { main } from "../../src/cli/main.ts";
import type { Output } from "../../src/cli/cli_error.ts";
import { syntheticTorrent } from "../support/synthetic_torrent.ts";

function capture(): Output & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, line: (t) => lines.push(t), error: (t) => errors.push(t) };
}

Deno.test("--help documents every command and option", async () => {
  const out = capture();
  assert.equal(await main(["--help"], out), 0);
  const help = out.lines.join("\n");
  for (
    const word of [
      "info",
      "magnet",
      "create",
      "seed",
      "--out",
      "--no-tui",
      "--peer",
      "--port",
      "--seed",
      "--no-seed",
      "--stream",
      "--encryption",
      "tolerate",
      "prefer",
      "require",
    ]
  ) {
    assert.ok(help.includes(word), word);
  }
});

Deno.test("a wrong command line exits 2 with one line", async () => {
  const out = capture();
  assert.equal(await main(["--frobnicate"], out), 2);
  assert.equal(out.errors.length, 1);
  assert.match(out.errors[0], /^error: .*see --help/);
});

Deno.test("info, magnet and create work on a real torrent", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const t = await syntheticTorrent("movie.mkv", [{ path: "movie.mkv", length: 100_000 }], 16384);
    await Deno.writeFile(`${dir}/m.torrent`, t.torrentBytes);
    const info = capture();
    assert.equal(await main(["info", `${dir}/m.torrent`], info), 0);
    assert.match(info.lines.join("\n"), new RegExp(t.metainfo.infoHashHex));
    assert.match(info.lines.join("\n"), /movie\.mkv/);

    const magnet = capture();
    assert.equal(await main(["magnet", `${dir}/m.torrent`], magnet), 0);
    assert.equal(
      magnet.lines[0],
      `magnet:?xt=urn:btih:${t.metainfo.infoHashHex}&dn=movie.mkv&xl=100000&tr=http%3A%2F%2F127.0.0.1%3A1%2Fannounce`,
    );

    await Deno.writeFile(`${dir}/data.bin`, t.content);
    const created = capture();
    const args = [
      "create",
      `${dir}/data.bin`,
      "-o",
      `${dir}/new.torrent`,
      "--piece-length",
      "16384",
    ];
    assert.equal(await main(args, created), 0, created.errors.join("\n"));
    assert.match(created.lines[0], /7 pieces/);
    const again = capture();
    assert.equal(await main(args, again), 1, "never overwrites an existing file");
    assert.match(again.errors[0], /cannot write/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("broken and missing torrents exit 1 with a one-line reason", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/bad.torrent`, new TextEncoder().encode("d4:infod4:name1:xee"));
    for (
      const argv of [
        ["info", `${dir}/bad.torrent`],
        [`${dir}/bad.torrent`, "--no-tui", "--no-dht"],
        [
          "info",
          `${dir}/none.torrent`,
        ],
      ]
    ) {
      const out = capture();
      assert.equal(await main(argv, out), 1);
      assert.equal(out.errors.length, 1, out.errors.join("\n"));
      assert.match(out.errors[0], /^error: .*(not a valid torrent|cannot read)/);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a dead tracker and no peers: exits 1 after --give-up with the reasons", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // The synthetic torrent announces to http://127.0.0.1:1/announce, where nothing listens.
    const t = await syntheticTorrent("x.bin", [{ path: "x.bin", length: 50_000 }], 16384);
    await Deno.writeFile(`${dir}/x.torrent`, t.torrentBytes);
    const out = capture();
    const started = Date.now();
    const code = await main([
      `${dir}/x.torrent`,
      "--no-tui",
      "--out",
      `${dir}/dl`,
      "--port",
      "0",
      "--give-up",
      "2",
      "--no-dht",
    ], out);
    assert.equal(code, 1);
    assert.ok(Date.now() - started < 15_000);
    assert.match(out.errors.at(-1)!, /^error: no peer reachable for 2 s \(trackers: /);
    const written = [...Deno.readDirSync(`${dir}/dl`)];
    assert.deepEqual(written, [], "nothing written for a download that never started");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
