/**
 * The resume file: which pieces are verified, with the size and mtime of every file at the time,
 * so a restart can skip the hash check when nothing changed on disk. Written atomically (temp
 * file, fsync, rename): a crash leaves either the old file or the new one, never half of one.
 * @module
 */

import { Bitfield } from "../util/bitfield.ts";

/** Size and modification time of one file, or null when it did not exist. */
export type FileStamp = { readonly size: number; readonly mtimeMs: number } | null;

/** The saved state. */
export interface ResumeState {
  readonly infoHashHex: string;
  readonly have: Bitfield;
  readonly files: readonly FileStamp[];
}

interface ResumeJson {
  version: 1;
  infoHash: string;
  pieceCount: number;
  have: string;
  files: FileStamp[];
}

/**
 * Where the resume file of a torrent lives: beside the data, hidden.
 * @example
 * ```ts
 * resumePath("downloads", "0123...ef"); // "downloads/.0123...ef.resume"
 * ```
 */
export function resumePath(dir: string, infoHashHex: string): string {
  return `${dir.replace(/\/+$/, "") || "/"}/.${infoHashHex}.resume`;
}

/**
 * Stats files now, as the resume file records them.
 * @example
 * ```ts
 * const stamps = await stampFiles(["a.bin", "b.bin"]);
 * ```
 */
export async function stampFiles(paths: readonly string[]): Promise<FileStamp[]> {
  return await Promise.all(paths.map(async (path) => {
    try {
      const info = await Deno.stat(path);
      return { size: info.size, mtimeMs: info.mtime?.getTime() ?? 0 };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return null;
      throw error;
    }
  }));
}

/**
 * Writes the state atomically.
 * @example
 * ```ts
 * await saveResume(path, { infoHashHex, have, files: await stampFiles(paths) });
 * ```
 */
export async function saveResume(path: string, state: ResumeState): Promise<void> {
  const json: ResumeJson = {
    version: 1,
    infoHash: state.infoHashHex,
    pieceCount: state.have.size,
    have: toBase64(state.have.bytes),
    files: [...state.files],
  };
  const temp = `${path}.tmp`;
  const file = await Deno.open(temp, { write: true, create: true, truncate: true });
  try {
    await file.write(new TextEncoder().encode(JSON.stringify(json)));
    await file.syncData();
  } finally {
    file.close();
  }
  await Deno.rename(temp, path);
}

/**
 * The verified pieces a resume file vouches for, or undefined when it is missing, unreadable,
 * for another torrent, or when any file's size or mtime differs from `current`.
 * @example
 * ```ts
 * const have = await loadResume(path, infoHashHex, pieceCount, await stampFiles(paths));
 * ```
 */
export async function loadResume(
  path: string,
  infoHashHex: string,
  pieceCount: number,
  current: readonly FileStamp[],
): Promise<Bitfield | undefined> {
  let json: ResumeJson;
  try {
    json = JSON.parse(await Deno.readTextFile(path));
  } catch {
    return undefined;
  }
  if (
    json?.version !== 1 || json.infoHash !== infoHashHex || json.pieceCount !== pieceCount ||
    !Array.isArray(json.files) || json.files.length !== current.length
  ) return undefined;
  const sameStamp = (a: FileStamp, b: FileStamp) =>
    a === null || b === null ? a === b : a.size === b.size && a.mtimeMs === b.mtimeMs;
  if (!json.files.every((stamp, i) => sameStamp(stamp, current[i]))) return undefined;
  try {
    const bytes = Uint8Array.from(atob(json.have), (c) => c.charCodeAt(0));
    return new Bitfield(pieceCount, bytes);
  } catch {
    return undefined;
  }
}

function toBase64(bytes: Uint8Array): string {
  let text = "";
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}
