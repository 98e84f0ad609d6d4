import assert from "node:assert/strict";
import { SYNTHETIC_STREAM_URL } from "../../tui/synthetic_stream.ts";
import { syntheticSnapshotAt, SyntheticTorrent } from "../../tui/synthetic_torrent.ts";

Deno.test("synthetic torrents stream only when asked, like the real client", () => {
  const plain = new SyntheticTorrent({}, () => 0);
  assert.equal(plain.snapshot().stream, undefined);
  assert.equal(plain.openInPlayer, undefined);

  let clock = 0;
  const streaming = new SyntheticTorrent({ files: 8, stream: { hls: true } }, () => clock);
  const before = streaming.snapshot().stream;
  assert.equal(before?.url, SYNTHETIC_STREAM_URL);
  assert.equal(before?.lastSeekMs, undefined); // no seek yet: the header shows "–"
  assert.equal(before?.activeStreams, 0);
  clock = 10_000;
  const after = streaming.snapshot().stream;
  assert.ok(after?.lastSeekMs !== undefined && after.medianSeekMs !== undefined);
  assert.ok(after.activeStreams > 0);

  streaming.openInPlayer?.(7);
  assert.match(streaming.snapshot().log.at(-1)?.text ?? "", /^player: .*\.flac$/);
});

Deno.test("synthetic stream URLs: every file, HLS for video and audio only, none without ffmpeg", () => {
  const s = syntheticSnapshotAt({ files: 8, stream: { hls: true } }, 10);
  const stream = s.stream;
  assert.ok(stream);
  for (const f of s.files) assert.ok(stream.fileUrls[f.index]?.startsWith(SYNTHETIC_STREAM_URL));
  assert.equal(stream.fileUrls[0], `${SYNTHETIC_STREAM_URL}0/Sintel.2010.1080p.mkv`);
  const hls = Object.keys(stream.hlsUrls ?? {}).map(Number).sort((a, b) => a - b);
  assert.deepEqual(hls, [0, 3, 4, 7]); // mkv, two mp4, flac
  const noFfmpeg = syntheticSnapshotAt({ stream: { hls: false } }, 10).stream;
  assert.equal(noFfmpeg?.hlsUrls, undefined);
});
