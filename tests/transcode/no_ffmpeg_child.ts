/**
 * Run by no_ffmpeg_test.ts with an empty PATH: prints, as JSON, what the transcoder answers
 * when ffmpeg cannot be found.
 * @module
 */
import { createTranscoder } from "../../src/transcode/transcode_routes.ts";

const transcoder = createTranscoder();
const ctx = { sourceUrl: () => "http://127.0.0.1:9/0/a.mkv" };
const answers: Record<string, { status: number; body: string } | null> = {};
for (const path of ["/0/probe", "/0/remux.ts", "/0/hls/index.m3u8", "/0/hls/3.ts", "/0/a.mkv"]) {
  const response = await transcoder.handle(new Request(`http://127.0.0.1${path}`), ctx);
  answers[path] = response ? { status: response.status, body: await response.text() } : null;
}
await transcoder.close();
console.log(JSON.stringify({ available: transcoder.available, answers }));
