import assert from "node:assert/strict";
import {
  HEAP_FLAGS,
  runsTransfer,
  splitNulTerminated,
  withHeapFlags,
} from "../../src/cli/relaunch.ts";
import {
  freePort,
  spawnTracked,
  type TrackedProcess,
  waitFor,
  withTimeout,
} from "../support/process.ts";
import { startOurClient } from "../support/our_client.ts";
import { syntheticTorrent } from "../support/synthetic_torrent.ts";

const PROBE = new URL("../support/heap_probe.ts", import.meta.url).pathname;

Deno.test("withHeapFlags adds ours after the user's, and the user's own setting wins", () => {
  assert.equal(withHeapFlags(undefined), HEAP_FLAGS.join(","));
  assert.equal(withHeapFlags(""), HEAP_FLAGS.join(","));
  assert.equal(withHeapFlags("--trace-gc"), ["--trace-gc", ...HEAP_FLAGS].join(","));
  assert.equal(
    withHeapFlags("--max_semi_space_size=16"),
    "--max_semi_space_size=16,--heap-growing-percent=20",
  );
  const all = "--heap-growing-percent=50,--max-semi-space-size=8";
  assert.equal(withHeapFlags(all), all);
});

Deno.test("splitNulTerminated reads NUL-terminated entries as bytes, empty ones included", () => {
  const bytes = new Uint8Array([...new TextEncoder().encode("deno\0run\0\0a b.ts\0"), 0xff, 0]);
  const entries = splitNulTerminated(bytes).map((entry) => [...entry]);
  const text = (s: string) => [...new TextEncoder().encode(s)];
  assert.deepEqual(entries, [text("deno\0"), text("run\0"), [0], text("a b.ts\0"), [0xff, 0]]);
  assert.deepEqual(splitNulTerminated(new Uint8Array()), []);
});

Deno.test("only downloads and seeds relaunch", () => {
  assert.equal(runsTransfer(["x.torrent", "--no-tui"]), true);
  assert.equal(runsTransfer(["seed", "x.torrent", "--dir", "d"]), true);
  for (
    const args of [["info", "x.torrent"], ["magnet", "x.torrent"], ["--help"], ["--version"], [
      "--bogus",
    ]]
  ) {
    assert.equal(runsTransfer(args), false, args.join(" "));
  }
});

async function probe(env: Record<string, string>) {
  const child = spawnTracked(Deno.execPath(), ["run", "-A", PROBE], { env });
  const status = await withTimeout(child.child.status, 30_000, "the heap probe");
  await child.stop();
  assert.equal(status.code, 0, child.output());
  return { spawnedPid: child.pid, ...JSON.parse(child.output().trim().split("\n").at(-1)!) };
}

Deno.test("the relaunched process is the same one, and V8 took the flags", async () => {
  const tuned = await probe({});
  assert.equal(tuned.pid, tuned.spawnedPid, "execve replaces the process, no child");
  assert.equal(tuned.flags, HEAP_FLAGS.join(","));
  // Two semi-spaces of 2 MiB, and a page or so of V8's own.
  assert.ok(tuned.largestNewSpace <= 8 * 1024 * 1024, `new space ${tuned.largestNewSpace}`);

  // The control: the same load without the flags grows the young generation far beyond that.
  const untuned = await probe({ BTTS_NO_RELAUNCH: "1" });
  assert.equal(untuned.flags, null);
  assert.ok(untuned.largestNewSpace >= 16 * 1024 * 1024, `new space ${untuned.largestNewSpace}`);
});

Deno.test("a variable that is not UTF-8 reaches the relaunched process byte for byte", async () => {
  // Deno can neither pass nor show such bytes: sh puts them into the probe's environment.
  const child = spawnTracked("sh", [
    "-c",
    `BTTS_PROBE_RAW="$(printf 'a\\377b')" exec "$0" run -A "$1"`,
    Deno.execPath(),
    PROBE,
  ]);
  const status = await withTimeout(child.child.status, 30_000, "the heap probe under sh");
  await child.stop();
  assert.equal(status.code, 0, child.output());
  const report = JSON.parse(child.output().trim().split("\n").at(-1)!);
  assert.equal(report.flags, HEAP_FLAGS.join(","), "relaunched");
  assert.equal(report.raw, "BTTS_PROBE_RAW=a\u00ffb");
});

Deno.test("mod.ts relaunches a download with the heap flags", async () => {
  const dir = await Deno.makeTempDir();
  let client: TrackedProcess | undefined;
  try {
    const t = await syntheticTorrent("x.bin", [{ path: "x.bin", length: 50_000 }], 16384);
    await Deno.writeFile(`${dir}/x.torrent`, t.torrentBytes);
    // A peer that is not there: the download waits, long enough to look at its environment.
    client = startOurClient([
      `${dir}/x.torrent`,
      "--no-tui",
      "--out",
      `${dir}/out`,
      "--peer",
      `127.0.0.1:${freePort()}`,
    ]);
    const pid = client.pid;
    const environ = await waitFor(() => {
      const text = new TextDecoder().decode(Deno.readFileSync(`/proc/${pid}/environ`));
      return text.includes("BTTS_RELAUNCHED=1") ? text : undefined;
    }, { timeoutMs: 15_000, what: "the relaunched client" });
    assert.ok(environ.split("\0").includes(`DENO_V8_FLAGS=${HEAP_FLAGS.join(",")}`));
  } finally {
    await client?.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the compile task builds the same heap flags into the binary", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  );
  assert.match(config.tasks.compile, new RegExp(`--v8-flags=${HEAP_FLAGS.join(",")}( |$)`));
});
