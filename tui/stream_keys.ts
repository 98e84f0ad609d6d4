/**
 * The streaming keys of the files panel: `o` plays the selected file, `u` shows and copies its
 * HLS URL. When a key cannot do its job the user gets a message saying why, never silence.
 * @module
 */

import { mediaKindOf } from "../src/stream/media_types.ts";
import type { FileSnapshot, TorrentSnapshot } from "../src/torrent/snapshot.ts";
import { isChar, type Key } from "./keys.ts";
import type { KeyResult, UiMessage, UiState } from "./ui_state.ts";

/**
 * Shown when `o` is pressed without a stream server (or a torrent that cannot start a player).
 * @example
 * ```ts
 * ui = { ...ui, message: NO_STREAM_PLAY };
 * ```
 */
export const NO_STREAM_PLAY: UiMessage = {
  tone: "warn",
  text: "start with --stream to play files",
};

const NO_STREAM_HLS: UiMessage = { tone: "warn", text: "start with --stream to get HLS URLs" };
const NOT_IN_FILES: UiMessage = {
  tone: "warn",
  text: "o and u act on the selected file: Tab to the Files panel",
};

const warn = (text: string): UiMessage => ({ tone: "warn", text });

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function playable(file: FileSnapshot): boolean {
  const kind = mediaKindOf(file.path);
  return kind === "video" || kind === "audio";
}

function play(ui: UiState, snap: TorrentSnapshot, file: FileSnapshot): KeyResult {
  const name = baseName(file.path);
  if (!snap.stream) return { state: { ...ui, message: NO_STREAM_PLAY } };
  if (!playable(file)) {
    return { state: { ...ui, message: warn(`${name} is not a video or audio file`) } };
  }
  return {
    state: { ...ui, message: { tone: "info", text: `opening ${name} in the player` } },
    command: { type: "open", torrent: ui.torrent, file: file.index },
  };
}

function hls(ui: UiState, snap: TorrentSnapshot, file: FileSnapshot): KeyResult {
  const name = baseName(file.path);
  if (!snap.stream) return { state: { ...ui, message: NO_STREAM_HLS } };
  const url = snap.stream.hlsUrls?.[file.index];
  if (url) {
    return {
      state: {
        ...ui,
        message: {
          tone: "info",
          text: `HLS of ${name} (sent to the clipboard by OSC 52):`,
          url,
        },
      },
      command: { type: "copy", text: url },
    };
  }
  const why = !playable(file)
    ? `no HLS for ${name}: not a video or audio file`
    : !snap.stream.hlsUrls
    ? "no HLS: ffmpeg was not found (o plays the file directly)"
    : `no HLS for ${name} from the stream server`;
  return { state: { ...ui, message: warn(why) } };
}

/**
 * Applies `o` or `u` in the torrent view: a command for the selected file (by its metainfo
 * index, not its row) and a message, or only a message saying why nothing happens.
 * @example
 * ```ts
 * if (isChar(key, "o") || isChar(key, "u")) return streamKey(ui, key, snapshot);
 * ```
 */
export function streamKey(ui: UiState, key: Key, snap: TorrentSnapshot): KeyResult {
  if (ui.focus !== "files") return { state: { ...ui, message: NOT_IN_FILES } };
  const file = snap.files[Math.min(ui.files.row, snap.files.length - 1)];
  if (!file) return { state: { ...ui, message: warn("no file list yet") } };
  return isChar(key, "o") ? play(ui, snap, file) : hls(ui, snap, file);
}
