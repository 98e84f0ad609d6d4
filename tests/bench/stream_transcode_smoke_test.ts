/**
 * The stream and transcode sections at a tiny size, in one context as `bench/main.ts` runs
 * them: a throttled libtorrent seed, our client (and webtorrent-cli 4 when it is installed;
 * the test says so when it is not), then the transcode section picking up our stream figure.
 * Asserts figures are produced and first bytes are the file's, never how fast anything is.
 */
import assert from "node:assert/strict";
import { PayloadCache } from "../../bench/bench_payloads.ts";
import type { BenchContext, SectionResult } from "../../bench/section.ts";
import { benchStream, ourStreamFirstByteMs } from "../../bench/stream_section.ts";
import { benchTranscode } from "../../bench/transcode_section.ts";
import { findWebtorrent } from "../../bench/webtorrent_cli.ts";

Deno.test("bench smoke: seek latency of ours (and webtorrent), transcode beside it", async () => {
  const workDir = await Deno.makeTempDir();
  const earlier: Record<string, SectionResult> = {};
  const context: BenchContext = {
    sizeMiB: 4,
    rounds: 1,
    workDir,
    payloads: new PayloadCache(workDir),
    earlier,
    log: () => {},
  };
  try {
    const webtorrent = await findWebtorrent({ install: false });
    if ("unavailable" in webtorrent) {
      console.log(`webtorrent-cli 4 not installed (${webtorrent.unavailable}): ours only`);
    }
    const stream = await benchStream(context, {
      sizeMiB: 4,
      rounds: 1,
      seedBytesPerSecond: 2 << 20,
      webtorrent,
    });
    earlier.stream = stream;
    const expected = "unavailable" in webtorrent ? ["ours"] : ["ours", "webtorrent"];
    assert.deepEqual(stream.rows.map((r) => r.client), expected);
    for (const row of stream.rows) {
      const what = JSON.stringify(row);
      assert.equal(row.ok, "1/1", what);
      assert.equal(row.error, null, what);
      assert.ok((row.firstByteMs as number) >= (row.headersMs as number), what);
      assert.ok((row.sentBeforePercent as number) >= 5, what);
    }
    if ("unavailable" in webtorrent) {
      assert.ok(stream.notes.some((n) => n.startsWith("webtorrent not available: ")));
    } else {
      assert.ok((stream.rows[0].vsWebtorrent as number) > 0);
    }

    const transcode = await benchTranscode(context, { rounds: 1, resolutions: ["320x240"] });
    assert.deepEqual(transcode.rows.map((r) => r.mode), [
      "copy",
      "transcode",
      "transcode",
      "raw stream",
    ]);
    for (const row of transcode.rows.slice(0, 3)) {
      assert.ok((row.lastByteMs as number) > 0 && (row.segmentBytes as number) > 0);
    }
    assert.equal(transcode.rows[3].firstByteMs, ourStreamFirstByteMs(stream));
  } finally {
    await Deno.remove(workDir, { recursive: true });
  }
});
