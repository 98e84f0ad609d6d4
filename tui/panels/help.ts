/**
 * The help overlay: every key, and what the peer flag letters mean.
 * @module
 */

import type { CellBuffer, Rect } from "../cell_buffer.ts";
import { theme } from "../theme.ts";
import { drawBox } from "../widgets/box.ts";

/**
 * Every key the UI knows, as [keys, meaning].
 * @example
 * ```ts
 * for (const [keys, meaning] of KEY_HELP) console.log(keys, meaning);
 * ```
 */
export const KEY_HELP: ReadonlyArray<readonly [string, string]> = [
  ["Tab  Shift+Tab", "next / previous panel"],
  ["→ ←  l h", "next / previous panel"],
  ["↑ ↓  k j", "move the selection (scroll the log)"],
  ["PgUp PgDn", "page up / down"],
  ["Home End  g G", "first / last row"],
  ["p", "pause or resume the torrent"],
  ["s", "change the peer sort order"],
  ["+ -", "raise / lower the selected file's priority"],
  ["o", "play the selected file in mpv / VLC (--stream)"],
  ["u", "show the selected file's HLS URL, copy it (OSC 52)"],
  ["Enter", "open the selected torrent (torrent list)"],
  ["Esc  Backspace", "back to the torrent list"],
  ["?", "show or hide this help"],
  ["q  Ctrl+C", "quit"],
];

const FLAG_HELP: ReadonlyArray<readonly [string, string]> = [
  ["D d K", "downloading / want but choked / unchoked, not wanted"],
  ["U u ?", "uploading / they want, we choke / unchoked, not wanted"],
  ["I", "they connected to us"],
];

/**
 * Draws the help box centred over whatever is on screen.
 * @example
 * ```ts
 * renderHelp(buf, { x: 0, y: 0, width: 160, height: 50 });
 * ```
 */
export function renderHelp(buf: CellBuffer, screen: Rect): void {
  const keyW = 16;
  const lines = KEY_HELP.length + 2 + FLAG_HELP.length;
  const width = Math.min(screen.width - 2, 74);
  const height = Math.min(screen.height - 2, lines + 2);
  if (width < 20 || height < 3) return;
  const rect = {
    x: screen.x + Math.floor((screen.width - width) / 2),
    y: screen.y + Math.floor((screen.height - height) / 2),
    width,
    height,
  };
  buf.fill(rect);
  const inner = drawBox(buf, rect, { title: "Keys", footer: "? or Esc to close", focused: true });
  const x = inner.x + 1;
  const w = inner.width - 2;
  let y = inner.y;
  const row = (key: string, text: string) => {
    if (y >= inner.y + inner.height) return;
    buf.text(x, y, key, theme.hintKey, keyW);
    buf.text(x + keyW, y, text, theme.plain, w - keyW);
    y++;
  };
  for (const [key, text] of KEY_HELP) row(key, text);
  y++;
  if (y < inner.y + inner.height) buf.text(x, y++, "Peer flags", theme.title, w);
  for (const [key, text] of FLAG_HELP) row(key, text);
}
