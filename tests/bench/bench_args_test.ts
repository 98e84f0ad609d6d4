import assert from "node:assert/strict";
import { BenchArgsError, DEFAULT_OUT, parseBenchArgs } from "../../bench/bench_args.ts";

const KNOWN = ["download", "tui"];

Deno.test("bench args: defaults run every section on 1 GiB, 3 rounds", () => {
  assert.deepEqual(parseBenchArgs([], KNOWN), {
    help: false,
    only: undefined,
    sizeMiB: 1024,
    rounds: 3,
    out: DEFAULT_OUT,
  });
});

Deno.test("bench args: --only keeps registry order, --size and --rounds in both spellings", () => {
  const args = parseBenchArgs(
    ["--", "--only", "tui,download", "--size=64", "--rounds", "1", "--out", "/tmp/r.json"],
    KNOWN,
  );
  assert.deepEqual(args.only, ["download", "tui"]);
  assert.equal(args.sizeMiB, 64);
  assert.equal(args.rounds, 1);
  assert.equal(args.out, "/tmp/r.json");
});

Deno.test("bench args: wrong input is a BenchArgsError naming the problem", () => {
  const cases: [string[], RegExp][] = [
    [["--only", "seeding"], /unknown section seeding; sections: download, tui/],
    [["--size", "0"], /--size needs a whole number >= 1/],
    [["--size", "1.5"], /--size needs a whole number/],
    [["--rounds"], /--rounds needs a value/],
    [["--fast"], /unknown argument "--fast"/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(() => parseBenchArgs(argv, KNOWN), (e) => {
      assert.ok(e instanceof BenchArgsError);
      assert.match(e.message, message);
      return true;
    });
  }
});
