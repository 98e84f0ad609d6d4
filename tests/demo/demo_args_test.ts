import assert from "node:assert/strict";
import {
  DEFAULT_SECONDS,
  DEFAULT_SIZE_MB,
  DEMO_HELP,
  DemoUsageError,
  parseDemoArgs,
} from "../../src/demo/demo_args.ts";

Deno.test("defaults, flags and both value forms", () => {
  assert.deepEqual(parseDemoArgs([]), {
    kind: "run",
    tui: "auto",
    sizeMb: DEFAULT_SIZE_MB,
    seconds: DEFAULT_SECONDS,
  });
  assert.deepEqual(parseDemoArgs(["--no-tui", "--size-mb", "8", "--seconds=3"]), {
    kind: "run",
    tui: false,
    sizeMb: 8,
    seconds: 3,
  });
  assert.equal((parseDemoArgs(["--tui"]) as { tui: unknown }).tui, true);
  assert.deepEqual(parseDemoArgs(["--size-mb", "8", "-h"]), { kind: "help" });
  assert.match(DEMO_HELP, /--size-mb N/);
});

Deno.test("wrong command lines get one clear line each", () => {
  const cases: [string[], RegExp][] = [
    [["--size-mb"], /--size-mb needs a value/],
    [["--size-mb", "--no-tui"], /--size-mb needs a value/],
    [["--size-mb", "0"], /--size-mb must be 1\.\.4096, not 0/],
    [["--size-mb", "8.5"], /needs a whole number, not "8\.5"/],
    [["--seconds", "99999"], /--seconds must be 1\.\.3600/],
    [["--tui", "--no-tui"], /contradict/],
    [["--no-tui=1"], /takes no value/],
    [["file.torrent"], /unknown argument "file\.torrent"/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(
      () => parseDemoArgs(argv),
      (e) => e instanceof DemoUsageError && message.test(e.message),
      argv.join(" "),
    );
  }
});
