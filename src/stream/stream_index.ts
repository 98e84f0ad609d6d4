/**
 * The stream server's listings: where each file lives (its URL path), the `/index.json` body and
 * the `/` HTML page. Pure.
 * @module
 */

import { formatBytes } from "../util/format.ts";
import { contentTypeFor } from "./media_types.ts";
import type { StreamFile } from "./stream_source.ts";

/** One source as listed: `id` is null when the server serves a single source at the root. */
export interface ListedSource {
  readonly id: string | null;
  readonly name: string;
  readonly files: readonly StreamFile[];
}

/** A file in `/index.json`. */
export interface IndexEntry {
  readonly index: number;
  readonly path: string;
  readonly length: number;
  /** Absolute URL to play. */
  readonly url: string;
  readonly mime: string;
}

/** The body of `/index.json`: one entry per source (a single one unless several are served). */
export interface IndexJson {
  readonly sources: readonly {
    readonly id: string | null;
    readonly name: string;
    readonly files: readonly IndexEntry[];
  }[];
}

/**
 * The URL path of a file: `/<index>/<file name>`, under `/<id>` when the source has an id. The
 * name is only there so players show it and see the extension; the index alone selects the file.
 * @example
 * ```ts
 * filePath(null, { index: 2, path: "Show/Ep 1.mkv", length: 1 }); // "/2/Ep%201.mkv"
 * filePath("ab12", { index: 0, path: "a.mp4", length: 1 }); // "/ab12/0/a.mp4"
 * ```
 */
export function filePath(id: string | null, file: StreamFile): string {
  const name = file.path.slice(file.path.lastIndexOf("/") + 1);
  const prefix = id === null ? "" : `/${encodeURIComponent(id)}`;
  return `${prefix}/${file.index}/${encodeURIComponent(name)}`;
}

/**
 * The `/index.json` body, with absolute URLs on `origin` (e.g. `http://127.0.0.1:8888`).
 * @example
 * ```ts
 * indexJson([{ id: null, name: "t", files: [{ index: 0, path: "a.mp4", length: 5 }] }], "http://127.0.0.1:1");
 * // { sources: [{ id: null, name: "t", files: [{ index: 0, path: "a.mp4", length: 5,
 * //   url: "http://127.0.0.1:1/0/a.mp4", mime: "video/mp4" }] }] }
 * ```
 */
export function indexJson(sources: readonly ListedSource[], origin: string): IndexJson {
  return {
    sources: sources.map(({ id, name, files }) => ({
      id,
      name,
      files: files.map((file) => ({
        index: file.index,
        path: file.path,
        length: file.length,
        url: origin + filePath(id, file),
        mime: contentTypeFor(file.path),
      })),
    })),
  };
}

/**
 * Escapes text for HTML element content and quoted attribute values.
 * @example
 * ```ts
 * escapeHtml(`<a href="x">&'`); // "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * The `/` page: every source's files as links, names escaped.
 * @example
 * ```ts
 * const html = indexHtml([{ id: null, name: "t", files: [{ index: 0, path: "a.mp4", length: 5 }] }]);
 * html.includes('<a href="/0/a.mp4">a.mp4</a>'); // true
 * ```
 */
export function indexHtml(sources: readonly ListedSource[]): string {
  const title = sources.length === 1 ? sources[0].name : "bittorrent-ts streams";
  const sections = sources.map(({ id, name, files }) => {
    const items = files.map((file) =>
      `<li><a href="${escapeHtml(filePath(id, file))}">${escapeHtml(file.path)}</a> ` +
      `<small>${escapeHtml(formatBytes(file.length))}</small></li>`
    );
    return `<h2>${escapeHtml(name)}</h2>\n<ul>\n${items.join("\n")}\n</ul>`;
  });
  return `<!doctype html>
<html>
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
${sections.join("\n")}
<p><a href="/index.json">index.json</a></p>
</body>
</html>
`;
}
