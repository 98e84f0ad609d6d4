/**
 * `deno task demo` as a user runs it, headless: to completion, and stopped by Ctrl+C.
 */
import assert from "node:assert/strict";
import { spawnTracked, waitFor, withTimeout } from "../support/process.ts";

const REPO = new URL("../../", import.meta.url).pathname;
const MAIN = new URL("../../src/demo/main.ts", import.meta.url).pathname;

function demoRoot(output: string): string {
  const m = /generating a .* album in (\S+)/.exec(output);
  if (!m) throw new Error(`no demo folder in:\n${output}`);
  return m[1];
}

Deno.test("deno task demo --no-tui downloads the album from four peers, then removes its data", async () => {
  const demo = spawnTracked(
    Deno.execPath(),
    ["task", "demo", "--no-tui", "--size-mb", "8", "--seconds", "2"],
    { cwd: REPO, env: { NO_COLOR: "1" } },
  );
  try {
    const status = await withTimeout(demo.child.status, 30_000, "the demo to finish");
    const output = demo.output();
    assert.equal(status.code, 0, output);
    assert.match(output, /full seeder on 127\.0\.0\.1:\d+, upload .*\/s/);
    assert.match(output, /partial peer \(\d+%\) on 127\.0\.0\.1:\d+/);
    assert.match(output, /^\[ *\d+\.\d%\] .* peers 4 /m, "progress lines with four peers");
    assert.match(output, /done: demo album, 8\.0 MiB verified in .* from 4 peers/);
    const root = demoRoot(output);
    assert.match(output, new RegExp(`stopped; removed ${root}`));
    await assert.rejects(Deno.stat(root), Deno.errors.NotFound);
  } finally {
    await demo.stop();
  }
});

Deno.test("Ctrl+C (SIGINT) mid-download stops the demo with status 130 and removes its data", async () => {
  const demo = spawnTracked(
    Deno.execPath(),
    ["run", "-A", MAIN, "--no-tui", "--size-mb", "16", "--seconds", "60"],
    { env: { NO_COLOR: "1" } },
  );
  try {
    await waitFor(() => /peers 4/.test(demo.output()), {
      timeoutMs: 20_000,
      what: "the demo to download from its peers",
    });
    const root = demoRoot(demo.output());
    demo.child.kill("SIGINT");
    const status = await withTimeout(demo.child.status, 10_000, "the demo to stop");
    assert.equal(status.code, 130, demo.output());
    assert.doesNotMatch(demo.output(), /done:/);
    assert.match(demo.output(), /stopped; removed/);
    await assert.rejects(Deno.stat(root), Deno.errors.NotFound);
  } finally {
    await demo.stop();
  }
});

Deno.test("a wrong demo command line exits with status 2 and one line", async () => {
  const demo = spawnTracked(Deno.execPath(), ["run", "-A", MAIN, "--size-mb", "0"]);
  try {
    const status = await withTimeout(demo.child.status, 20_000, "the demo to exit");
    assert.equal(status.code, 2);
    assert.equal(demo.output().trim(), "error: --size-mb must be 1..4096, not 0 (see --help)");
  } finally {
    await demo.stop();
  }
});
