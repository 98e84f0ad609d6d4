/**
 * Copying to the clipboard through the terminal: the OSC 52 escape sequence, which kitty, iTerm2,
 * WezTerm, foot, Alacritty, Windows Terminal and xterm (with allowWindowOps) honour, and tmux
 * passes on with `set-clipboard on`. It also works over SSH, where no local clipboard tool can.
 * Terminals cannot tell us whether they obeyed, so callers still show what they copied.
 * @module
 */

const utf8 = new TextEncoder();

/**
 * The sequence that puts `text` on the system clipboard ("c"). The text is sent as base64 of its
 * UTF-8 bytes; BEL ends it, as the terminator every implementation accepts.
 * @example
 * ```ts
 * io.write(osc52Copy("http://127.0.0.1:8888/0/hls/index.m3u8"));
 * osc52Copy("hi"); // "\x1b]52;c;aGk=\x07"
 * ```
 */
export function osc52Copy(text: string): string {
  let binary = "";
  for (const b of utf8.encode(text)) binary += String.fromCharCode(b);
  return `\x1b]52;c;${btoa(binary)}\x07`;
}
