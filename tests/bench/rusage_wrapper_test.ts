import assert from "node:assert/strict";
import { spawnTracked, withTimeout } from "../support/process.ts";

const WRAPPER = new URL("../../bench/rusage_wrapper.py", import.meta.url).pathname;

interface Report {
  pid: number;
  code: number;
  maxRssKiB: number;
  userSeconds: number;
  systemSeconds: number;
}

async function wrap(command: string[]): Promise<{ code: number; report: Report; output: string }> {
  const dir = await Deno.makeTempDir();
  try {
    const proc = spawnTracked("/usr/bin/python3", [WRAPPER, `${dir}/r.json`, ...command]);
    try {
      const status = await withTimeout(proc.child.status, 10_000, "the wrapped command");
      await proc.stop();
      const report = JSON.parse(await Deno.readTextFile(`${dir}/r.json`)) as Report;
      return { code: status.code, report, output: proc.output() };
    } finally {
      await proc.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("rusage wrapper reports the exact peak RSS of a command that exits by itself", async () => {
  // 150 MB touched then freed: only the peak, not the RSS at exit, can show it.
  const { code, report, output } = await wrap([
    "/usr/bin/python3",
    "-c",
    "b = bytearray(150_000_000); del b; print('ran')",
  ]);
  assert.equal(code, 0);
  assert.equal(report.code, 0);
  assert.match(output, /ran/);
  assert.ok(report.maxRssKiB > 146_000 && report.maxRssKiB < 250_000, String(report.maxRssKiB));
  assert.ok(report.userSeconds + report.systemSeconds > 0);
});

Deno.test("rusage wrapper passes on the exit status", async () => {
  const { code, report } = await wrap(["sh", "-c", "exit 3"]);
  assert.equal(code, 3);
  assert.equal(report.code, 3);
});
