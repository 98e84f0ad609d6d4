import assert from "node:assert/strict";
import {
  childrenOf,
  commandName,
  parseMemory,
  parseStat,
  readCpu,
  readMemory,
} from "../../bench/proc_stats.ts";
import { watchProcess } from "../../bench/process_watch.ts";
import { spawnTracked } from "../support/process.ts";

Deno.test("parseStat reads ppid and CPU past a command name with spaces and parens", () => {
  const stat = "42 (a) b (c) S 7 42 42 0 -1 4194560 0 0 0 0 150 25 0 0 20 0 9 0 1 2 3";
  assert.deepEqual(parseStat(stat), {
    ppid: 7,
    cpu: { userSeconds: 1.5, systemSeconds: 0.25 },
  });
  assert.equal(parseStat("42 (x) S 7"), undefined);
});

Deno.test("parseMemory needs every line; a zombie's status has none", () => {
  const status = "Name:\tdeno\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\nRssAnon:\t 512 kB\n" +
    "RssFile:\t 500 kB\nRssShmem:\t 12 kB\n";
  assert.deepEqual(parseMemory(status), {
    hwmKiB: 2048,
    rssKiB: 1024,
    anonKiB: 512,
    fileKiB: 500,
  });
  assert.equal(parseMemory("Name:\tx\nState:\tZ (zombie)\n"), undefined);
});

Deno.test("/proc readings of live processes, and undefined once they are gone", async () => {
  const memory = readMemory(Deno.pid);
  assert.ok(memory && memory.hwmKiB >= memory.rssKiB && memory.anonKiB > 0);
  assert.ok(readCpu(Deno.pid));
  assert.equal(commandName(Deno.pid), "deno");
  const sleeper = spawnTracked("sleep", ["30"]);
  try {
    assert.deepEqual(childrenOf(Deno.pid).filter((pid) => pid === sleeper.pid), [sleeper.pid]);
    const watch = watchProcess(sleeper.pid, 10);
    await new Promise((r) => setTimeout(r, 50));
    const peaks = watch.stop();
    assert.ok(peaks.samples >= 2 && peaks.hwmKiB > 0, JSON.stringify(peaks));
  } finally {
    await sleeper.stop();
  }
  assert.equal(readMemory(sleeper.pid), undefined);
  assert.equal(readCpu(sleeper.pid), undefined);
});
