/**
 * Which pieces of a torrent come first, and the reads that wait for them. File priorities,
 * prioritized byte ranges and the windows of open streaming reads are combined
 * ({@linkcode PiecePriorities}) and handed to the picker at every change; a seek makes the fast
 * peers drop queued ordinary requests so the urgent ones go out next.
 * @module
 */

import type { Metainfo } from "../metainfo/types.ts";
import type { PeerKey, PiecePicker } from "../picker/piece_picker.ts";
import type { DiskStore } from "../storage/store_writer.ts";
import type { FileLayout } from "../storage/file_layout.ts";
import type { StreamSource } from "../stream/stream_source.ts";
import { type ByteRange, FILE_PRIORITY, PiecePriorities } from "./piece_priorities.ts";
import { PieceWaiters } from "./piece_waiters.ts";
import { readRange } from "./range_reader.ts";
import type { FilePriority, TorrentState } from "./snapshot.ts";

/** Ordinary requests a peer keeps when a seek needs its queue: about what is on the wire. */
const PREEMPT_KEEP = 16;

/** A peer whose queued requests a seek may cut. */
export interface PreemptiblePeer {
  /** Cancels our requests of pieces that are not critical, keeping the `keep` oldest. */
  preempt(keep: number): void;
}

/** The parts of a torrent priorities and reads use. */
export interface PriorityHost<P extends PreemptiblePeer> {
  readonly metainfo: Pick<Metainfo, "name" | "files" | "pieceLength" | "pieceCount">;
  readonly layout: FileLayout;
  readonly picker: Pick<
    PiecePicker,
    "done" | "have" | "wants" | "pieceSize" | "setPriority" | "hasUnrequestedCritical"
  >;
  readonly sessions: ReadonlyMap<PeerKey, P>;
  readonly swarm: {
    /** Whether this peer is among the fastest (critical pieces go only to those). */
    isFast(peer: P): boolean;
    /** Lets every peer act on changed priorities (interest, requests). */
    refresh(): void;
  };
  readonly state: TorrentState;
  readonly error: string | undefined;
  /** Reads bytes of a verified piece. */
  readBlock(index: number, begin: number, length: number): Promise<Uint8Array>;
}

/** What priorities need from the torrent besides its public parts. */
export interface PriorityOptions {
  /** The store on disk, told which files are skipped; absent with a custom store. */
  readonly disk?: Pick<DiskStore, "setSkipped">;
  /** Storage failed: fatal for the torrent. */
  failed(message: string): void;
  /** A priority change finished the download (`done`), or made a finished one want more. */
  doneChanged(done: boolean): void;
}

/**
 * Piece priorities of one torrent and its streaming reads.
 * @example
 * ```ts
 * const control = new PriorityControl(torrent, {
 *   failed: (message) => console.error(message),
 *   doneChanged: (done) => console.log(done ? "complete" : "more to fetch"),
 * });
 * control.setFilePriority(1, "skip");
 * const stream = control.read(0, 0, 1 << 20); // bytes as their pieces verify
 * control.pieceVerified(0); // from the write path: wakes reads waiting for piece 0
 * ```
 */
export class PriorityControl<P extends PreemptiblePeer> {
  readonly #host: PriorityHost<P>;
  readonly #options: PriorityOptions;
  readonly #priorities: PiecePriorities;
  /** Streaming reads waiting for a piece to be verified. */
  readonly #waiters = new PieceWaiters();

  constructor(host: PriorityHost<P>, options: PriorityOptions) {
    this.#host = host;
    this.#options = options;
    this.#priorities = new PiecePriorities(host.layout);
  }

  /** True while a streaming read is open. */
  get streaming(): boolean {
    return this.#priorities.streaming;
  }

  /** A file's priority (the index is the file's place in the metainfo). */
  filePriority(fileIndex: number): FilePriority {
    return this.#priorities.filePriority(fileIndex);
  }

  /** Changes a file's priority; "skip" stops fetching its pieces (boundary pieces excepted). */
  setFilePriority(fileIndex: number, priority: FilePriority): void {
    const file = this.#host.metainfo.files[fileIndex];
    if (!file || file.pad) return;
    this.#priorities.setFilePriority(fileIndex, priority);
    // Queued before any write of a piece it affects: the store's operations run in order.
    this.#options.disk?.setSkipped(fileIndex, priority === "skip").catch((error) =>
      this.#options.failed(error.message)
    );
    this.#apply();
  }

  /**
   * Fetches a file or a byte range of the torrent at `priority`, before lower-priority pieces.
   * Returns a function that takes the range's priority back (a file keeps its new priority).
   */
  prioritize(target: number | ByteRange, priority: FilePriority): () => void {
    if (typeof target === "number") {
      this.setFilePriority(target, priority);
      return () => {};
    }
    const id = this.#priorities.addRange(target, FILE_PRIORITY[priority]);
    this.#apply();
    return () => {
      this.#priorities.removeRange(id);
      this.#apply();
    };
  }

  /**
   * Bytes `[start, end)` of file `fileIndex`, yielded as soon as their pieces verify; while the
   * stream is open its pieces come first. Cancelling the stream drops that priority.
   */
  read(fileIndex: number, start: number, end: number): ReadableStream<Uint8Array> {
    const host = this.#host;
    const { files, pieceLength } = host.metainfo;
    const file = files[fileIndex];
    if (!file || start < 0 || end > file.length || start > end) {
      throw new RangeError(`bytes ${start}-${end} are not in file ${fileIndex}`);
    }
    return readRange({
      pieceLength,
      waitForPiece: (index, signal) => {
        if (host.picker.have.has(index)) return Promise.resolve();
        if (host.state === "error") return Promise.reject(new Error(host.error));
        return this.#waiters.wait(index, signal);
      },
      readBytes: (at, length) => {
        const index = Math.floor(at / pieceLength);
        return host.readBlock(index, at - index * pieceLength, length);
      },
      openWindow: (range) => this.#withPriorities(() => this.#priorities.openWindow(range)),
      moveWindow: (id, position) =>
        this.#withPriorities(() => this.#priorities.moveWindow(id, position)),
      closeWindow: (id) => this.#withPriorities(() => this.#priorities.closeWindow(id)),
    }, { start: file.offset + start, end: file.offset + end });
  }

  /** The torrent's files for the streaming server. */
  streamSource(): StreamSource {
    return {
      name: this.#host.metainfo.name,
      files: this.#host.metainfo.files.flatMap((f, index) =>
        f.pad ? [] : [{ index, path: f.path.join("/"), length: f.length }]
      ),
      read: (fileIndex, start, end) => this.read(fileIndex, start, end),
    };
  }

  /** Bytes of the pieces still wanted and not yet verified: what trackers are told is left. */
  bytesLeft(): number {
    const { metainfo, picker } = this.#host;
    let left = 0;
    for (let i = 0; i < metainfo.pieceCount; i++) {
      if (picker.wants(i)) left += picker.pieceSize(i);
    }
    return left;
  }

  /** Piece `index` is verified: reads waiting for it go on. */
  pieceVerified(index: number): void {
    this.#waiters.wake(index);
  }

  #withPriorities<T>(change: () => T): T {
    const result = change();
    this.#apply();
    return result;
  }

  /** Hands the combined priorities to the picker and lets peers act on them at once. */
  #apply(): void {
    const { picker, sessions, swarm } = this.#host;
    const wasDone = picker.done;
    this.#priorities.compute().forEach((p, i) => picker.setPriority(i, p));
    if (picker.hasUnrequestedCritical()) {
      // A seek: the fast peers drop queued ordinary requests so the urgent ones come next.
      for (const s of sessions.values()) if (swarm.isFast(s)) s.preempt(PREEMPT_KEEP);
    }
    swarm.refresh();
    if (picker.done !== wasDone) this.#options.doneChanged(picker.done);
  }
}
