/**
 * Decides which pieces are already verified when a torrent starts (resume file, or a hash check
 * of what is on disk) and keeps the resume file up to date while it runs.
 * @module
 */

import type { Metainfo } from "../metainfo/types.ts";
import type { DiskStore } from "../storage/store_writer.ts";
import { recheckPieces } from "../storage/recheck.ts";
import { loadResume, resumePath, saveResume, stampFiles } from "../storage/resume_file.ts";
import { Bitfield } from "../util/bitfield.ts";

/** Resume files are rewritten at most this often while pieces keep arriving. */
export const RESUME_SAVE_INTERVAL_MS = 2000;

/**
 * Resume state of one torrent in a {@linkcode DiskStore}.
 * @example
 * ```ts
 * const keeper = new ResumeKeeper(store, metainfo, dir);
 * const { have, source } = await keeper.initialPieces({ recheck: false });
 * await keeper.save(picker.have);
 * ```
 */
export class ResumeKeeper {
  readonly path: string;
  readonly #store: DiskStore;
  readonly #metainfo: Metainfo;
  #savedCount = -1;
  #lastSaveAt = 0;
  #saving: Promise<void> | undefined;

  constructor(store: DiskStore, metainfo: Metainfo, dir: string) {
    this.#store = store;
    this.#metainfo = metainfo;
    this.path = resumePath(dir, metainfo.infoHashHex);
  }

  /**
   * The pieces to count as verified: the resume file's when every file is as it recorded,
   * otherwise (or with `recheck`) those that pass a hash check of the files on disk.
   */
  async initialPieces(
    options: { recheck: boolean; onProgress?: (checked: number) => void },
  ): Promise<{ have: number[]; source: "resume" | "recheck" | "empty" }> {
    const metainfo = this.#metainfo;
    const stamps = await stampFiles(this.#store.paths);
    if (!options.recheck) {
      const saved = await loadResume(this.path, metainfo.infoHashHex, metainfo.pieceCount, stamps);
      if (saved) {
        const have = [];
        for (let i = 0; i < saved.size; i++) if (saved.has(i)) have.push(i);
        this.#savedCount = have.length;
        return { have, source: "resume" };
      }
    }
    // A skipped file's bytes, if any, are in the parts file: its pieces are worth checking.
    const present = stamps.map((s, i) =>
      metainfo.files[i].pad || s !== null || this.#store.isSkipped(i)
    );
    if (!present.some((p, i) => p && !metainfo.files[i].pad)) return { have: [], source: "empty" };
    const layout = this.#store.layout;
    let checked = 0;
    const have = await recheckPieces(this.#store, metainfo.pieceCount, {
      only: (index) =>
        layout.segments(index, 0, layout.pieceSize(index)).every((s) => present[s.fileIndex]),
      onPiece: () => options.onProgress?.(++checked),
    });
    return { have, source: "recheck" };
  }

  /** Saves when pieces were added since the last save and the interval has passed. */
  maybeSave(have: Bitfield, now = Date.now()): void {
    if (this.#saving || !this.#changed(have)) return;
    if (now - this.#lastSaveAt < RESUME_SAVE_INTERVAL_MS) return;
    this.#saving = this.save(have).catch(() => {}).finally(() => (this.#saving = undefined));
  }

  /** The final save: only when there is something new to record. */
  async saveIfChanged(have: Bitfield): Promise<void> {
    await this.#saving;
    if (this.#changed(have)) await this.save(have);
  }

  #changed(have: Bitfield): boolean {
    // Nothing verified and nothing saved before: no file worth writing.
    return have.count !== Math.max(0, this.#savedCount);
  }

  /**
   * Flushes the data, then records `have` with the files' current sizes and mtimes. The piece
   * set is copied first, so it never names a piece whose data was not flushed.
   */
  async save(have: Bitfield): Promise<void> {
    await this.#saving;
    const snapshot = new Bitfield(have.size, have.bytes);
    await this.#store.flush();
    const files = await stampFiles(this.#store.paths);
    await saveResume(this.path, { infoHashHex: this.#metainfo.infoHashHex, have: snapshot, files });
    this.#savedCount = snapshot.count;
    this.#lastSaveAt = Date.now();
  }
}
