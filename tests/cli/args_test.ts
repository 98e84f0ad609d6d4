import assert from "node:assert/strict";
import { parseArgs, UsageError } from "../../src/cli/args.ts";

Deno.test("a download with every option", () => {
  const cmd = parseArgs([
    "a.torrent",
    "--out",
    "dl",
    "--no-tui",
    "--peer",
    "127.0.0.1:6881",
    "--peer=[::1]:7000",
    "--port",
    "0",
    "--seed",
    "--stream=9000",
    "--select",
    "3,0,2-3",
    "--sequential",
    "--give-up",
    "5",
    "--recheck",
    "-v",
    "--no-dht",
    "--dht-bootstrap",
    "127.0.0.1:7001",
    "--dht-state",
    "/tmp/dht.json",
    "--encryption",
    "require",
    "b.torrent",
  ]);
  assert.deepEqual(cmd, {
    kind: "download",
    sources: ["a.torrent", "b.torrent"],
    out: "dl",
    tui: false,
    peers: [{ host: "127.0.0.1", port: 6881 }, { host: "::1", port: 7000 }],
    port: 0,
    seed: true,
    stream: 9000,
    streamHost: "127.0.0.1",
    player: undefined,
    select: [0, 2, 3],
    strategy: "sequential",
    giveUpSeconds: 5,
    recheck: true,
    verbose: true,
    json: false,
    dht: false,
    dhtBootstrap: [{ host: "127.0.0.1", port: 7001 }],
    dhtState: "/tmp/dht.json",
    encryption: "require",
  });
});

Deno.test("defaults", () => {
  const cmd = parseArgs(["magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567"]);
  assert(cmd.kind === "download");
  assert.equal(cmd.out, ".");
  assert.equal(cmd.tui, "auto");
  assert.equal(cmd.port, 6881);
  assert.equal(cmd.seed, undefined);
  assert.equal(cmd.stream, undefined);
  assert.equal(cmd.encryption, "tolerate");
  const streaming = parseArgs(["x.torrent", "--stream"]);
  assert(streaming.kind === "download");
  assert.equal(streaming.stream, 8888);
  const player = parseArgs(["x.torrent", "--mpv"]);
  assert(player.kind === "download");
  assert.equal(player.player, "mpv");
  assert.equal(player.stream, 0, "a player implies a stream server");
  const json = parseArgs(["x.torrent", "--json"]);
  assert(json.kind === "download");
  assert.equal(json.json, true);
  assert.equal(json.tui, false, "--json is plain mode");
  const leeching = parseArgs(["x.torrent", "--no-seed"]);
  assert(leeching.kind === "download");
  assert.equal(leeching.seed, false);
});

Deno.test("subcommands", () => {
  assert.deepEqual(parseArgs(["info", "x.torrent"]), {
    kind: "info",
    torrent: "x.torrent",
    peers: [],
    dht: true,
    dhtBootstrap: [],
    giveUpSeconds: 60,
    encryption: "tolerate",
  });
  const magnetInfo = parseArgs([
    "info",
    "magnet:?xt=urn:btih:x",
    "--peer",
    "1.2.3.4:5",
    "--no-dht",
    "--encryption",
    "require",
  ]);
  assert(magnetInfo.kind === "info");
  assert.deepEqual(magnetInfo.peers, [{ host: "1.2.3.4", port: 5 }]);
  assert.equal(magnetInfo.dht, false);
  assert.equal(magnetInfo.encryption, "require");
  assert.deepEqual(parseArgs(["magnet", "x.torrent"]), { kind: "magnet", torrent: "x.torrent" });
  assert.deepEqual(parseArgs(["seed", "x.torrent", "--dir", "d", "--port", "7"]), {
    kind: "seed",
    torrent: "x.torrent",
    dir: "d",
    port: 7,
    tui: "auto",
    verbose: false,
    dht: true,
    encryption: "tolerate",
  });
  for (const mode of ["tolerate", "prefer", "require"] as const) {
    const seed = parseArgs(["seed", "x.torrent", "--dir", "d", `--encryption=${mode}`]);
    assert(seed.kind === "seed");
    assert.equal(seed.encryption, mode);
    const download = parseArgs(["--encryption", mode, "x.torrent"]);
    assert(download.kind === "download");
    assert.equal(download.encryption, mode);
  }
  assert.deepEqual(
    parseArgs(["create", "data", "-o", "o.torrent", "--tracker", "http://t/a", "-t", "udp://u:1"]),
    {
      kind: "create",
      path: "data",
      trackers: ["http://t/a", "udp://u:1"],
      pieceLength: undefined,
      output: "o.torrent",
      comment: undefined,
      private: false,
    },
  );
  assert.deepEqual(parseArgs(["--help"]), { kind: "help" });
  assert.deepEqual(parseArgs(["x.torrent", "-h"]), { kind: "help" });
});

Deno.test("mistakes are usage errors with a clear message", () => {
  const cases: [string[], RegExp][] = [
    [[], /give a .torrent/],
    [["x.torrent", "--bogus"], /unknown option .*--bogus/],
    [["x.torrent", "--peer", "nope"], /bad peer address/],
    [["x.torrent", "--port", "70000"], /--port/],
    [["x.torrent", "--port", "abc"], /whole number/],
    [["x.torrent", "--seed", "--no-seed"], /contradict/],
    [["x.torrent", "--out"], /needs a value/],
    [["x.torrent", "--stream=http"], /--stream/],
    [["x.torrent", "--select", "1-x"], /--select/],
    [["x.torrent", "--select", "3-1"], /--select range/],
    [["x.torrent", "--mpv", "--vlc"], /choose one/],
    [
      ["x.torrent", "--encryption", "forced"],
      /bad --encryption "forced": expected tolerate, prefer, require/,
    ],
    [["x.torrent", "--encryption", "Require"], /bad --encryption/],
    [["x.torrent", "--encryption"], /--encryption needs a value/],
    [["x.torrent", "--encryption", "prefer", "--encryption=require"], /more than once/],
    [["seed", "x.torrent", "--dir", "d", "--encryption=none"], /bad --encryption "none"/],
    [["create", "d"], /-o/],
    [["create", "d", "-o", "x", "--piece-length", "1000"], /power of two/],
    [["seed", "x.torrent"], /--dir/],
    [["info"], /missing/],
    [["info", "a", "b"], /extra argument/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(
      () => parseArgs(argv),
      (e) => e instanceof UsageError && message.test(e.message),
      argv.join(" "),
    );
  }
});
