/**
 * The text of the `info` subcommand: a torrent's metadata for people.
 * @module
 */

import { formatBytes } from "../util/format.ts";
import type { Metainfo } from "./types.ts";

/**
 * Escapes what a hostile torrent could use to rewrite the terminal or disguise text: control
 * characters (ESC sequences), line separators and bidi overrides become `\u{..}`.
 */
function printable(text: string): string {
  return text.replace(
    // deno-lint-ignore no-control-regex -- matching control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`,
  );
}

function dateText(seconds: number): string {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return String(seconds);
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

const field = (label: string, value: string) => `${`${label}:`.padEnd(13)}${value}`;

/**
 * Formats a torrent's metadata: name, info-hash, size, pieces, privacy, creator, date, comment,
 * trackers by tier, and the files with their sizes (pad files counted, not listed). Text from
 * the torrent is escaped so it cannot inject terminal control sequences.
 * @example
 * ```ts
 * console.log(formatMetainfo(await parseMetainfo(await Deno.readFile("x.torrent"))));
 * // Name:        x
 * // Info-hash:   c12fe1c06bba254a9dc9f519b335aa7c1367a88a
 * // ...
 * ```
 */
export function formatMetainfo(m: Metainfo): string {
  const lines = [
    field("Name", printable(m.name)),
    field("Info-hash", m.infoHashHex),
    field("Size", `${formatBytes(m.totalLength)} (${m.totalLength} bytes)`),
    field("Pieces", `${m.pieceCount} × ${formatBytes(m.pieceLength)}`),
    field("Private", m.private ? "yes (trackers only: no DHT, no peer exchange)" : "no"),
  ];
  if (m.createdBy !== undefined) lines.push(field("Created by", printable(m.createdBy)));
  if (m.creationDate !== undefined) lines.push(field("Created on", dateText(m.creationDate)));
  if (m.comment !== undefined) {
    const [first, ...rest] = m.comment.split(/\r?\n/).map(printable);
    lines.push(field("Comment", first), ...rest.map((line) => " ".repeat(13) + line));
  }
  if (m.announceTiers.length === 0) lines.push(field("Trackers", "none"));
  else {
    lines.push("Trackers:");
    m.announceTiers.forEach((tier, i) => {
      const label = `  tier ${i + 1}: `;
      tier.forEach((url, j) =>
        lines.push((j === 0 ? label : " ".repeat(label.length)) + printable(url))
      );
    });
  }
  // Indexes are places in the metainfo's list (pad files included), as --select and stream
  // URLs take them.
  const files = m.files.flatMap((f, index) => (f.pad ? [] : [{ ...f, index }]));
  const pads = m.files.length - files.length;
  lines.push(
    `Files (${files.length}${
      pads ? `, plus ${pads} pad file${pads > 1 ? "s" : ""} not written` : ""
    }):`,
  );
  const sizes = files.map((f) => formatBytes(f.length));
  const width = Math.max(...sizes.map((s) => s.length));
  const indexWidth = String(m.files.length - 1).length + 2;
  files.forEach((f, i) => {
    const link = f.symlinkTarget ? ` -> ${printable(f.symlinkTarget.join("/"))}` : "";
    const index = `[${f.index}]`.padStart(indexWidth);
    lines.push(`  ${index} ${sizes[i].padStart(width)}  ${printable(f.path.join("/"))}${link}`);
  });
  return lines.join("\n");
}
