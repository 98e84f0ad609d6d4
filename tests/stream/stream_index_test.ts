import assert from "node:assert/strict";
import { escapeHtml, filePath, indexHtml, indexJson } from "../../src/stream/stream_index.ts";

const files = [
  { index: 0, path: "Film/Film (2001).mkv", length: 1_500_000_000 },
  { index: 3, path: "Film/Sous-titres/Amélie ♥ <b>&.srt", length: 2_000 },
];

Deno.test("index: file paths carry the torrent index and the encoded file name", () => {
  assert.equal(filePath(null, files[0]), "/0/Film%20(2001).mkv");
  assert.equal(filePath(null, files[1]), "/3/Am%C3%A9lie%20%E2%99%A5%20%3Cb%3E%26.srt");
  assert.equal(filePath("abc_1", files[0]), "/abc_1/0/Film%20(2001).mkv");
  assert.equal(filePath(null, { index: 9, path: "a?b#c.mp4", length: 1 }), "/9/a%3Fb%23c.mp4");
});

Deno.test("index: json lists every file with absolute url and mime", () => {
  const json = indexJson([{ id: null, name: "Film", files }], "http://127.0.0.1:9");
  assert.deepEqual(json, {
    sources: [{
      id: null,
      name: "Film",
      files: [
        {
          index: 0,
          path: "Film/Film (2001).mkv",
          length: 1_500_000_000,
          url: "http://127.0.0.1:9/0/Film%20(2001).mkv",
          mime: "video/x-matroska",
        },
        {
          index: 3,
          path: "Film/Sous-titres/Amélie ♥ <b>&.srt",
          length: 2_000,
          url: "http://127.0.0.1:9/3/Am%C3%A9lie%20%E2%99%A5%20%3Cb%3E%26.srt",
          mime: "application/x-subrip",
        },
      ],
    }],
  });
});

Deno.test("index: html escapes names and links every file", () => {
  assert.equal(escapeHtml(`<a href="x">&'`), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  const html = indexHtml([{ id: null, name: "<script>alert(1)</script>", files }]);
  assert.ok(!html.includes("<script>"), html);
  assert.ok(html.includes("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>"));
  assert.ok(html.includes('<a href="/0/Film%20(2001).mkv">Film/Film (2001).mkv</a>'), html);
  assert.ok(
    html.includes(
      '<a href="/3/Am%C3%A9lie%20%E2%99%A5%20%3Cb%3E%26.srt">Film/Sous-titres/Amélie ♥ &lt;b&gt;&amp;.srt</a>',
    ),
    html,
  );
});

Deno.test("index: several sources each get a section under their id", () => {
  const html = indexHtml([
    { id: "one", name: "First", files: [files[0]] },
    { id: "two", name: "Second", files: [files[0]] },
  ]);
  assert.ok(html.includes("<h2>First</h2>") && html.includes("<h2>Second</h2>"));
  assert.ok(html.includes('href="/one/0/') && html.includes('href="/two/0/'));
});
