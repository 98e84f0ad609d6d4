/**
 * Blocks from peers on their way to disk. Each block is counted and stored in its piece; copies
 * other peers were asked for are cancelled; a whole piece goes to the store, which hashes and
 * writes it. A verified piece is announced to the swarm; a failed one is fetched again and the
 * peers that sent it are struck, or banned.
 * @module
 */

import type { PeerKey, PiecePicker } from "../picker/piece_picker.ts";
import type { StoreWriter } from "../storage/store_writer.ts";
import { toHex } from "../util/bytes.ts";

/** Stop requesting while this much verified data waits for the disk. */
const MAX_PENDING_WRITE_BYTES = 4 * 1024 * 1024;

/** Bad pieces a peer may share in before it is banned; a piece from one peer alone convicts it. */
const STRIKES_TO_BAN = 3;

/** The parts of a peer session the intake uses. */
export interface IntakePeer {
  readonly key: PeerKey;
  /** Payload received from the peer, the block being handled included. */
  readonly down: { readonly total: number };
  readonly conn: { readonly remote: { readonly peerId: Uint8Array } };
  /** Bad pieces this peer contributed to. */
  strikes: number;
  close(reason: string): void;
  cancel(index: number, begin: number, length: number): void;
  fillRequests(): void;
}

/** The parts of a torrent the intake reads and updates. */
export interface BlockIntakeHost<P extends IntakePeer> {
  readonly picker: Pick<PiecePicker, "onBlock" | "markVerified" | "markFailed">;
  readonly store: Pick<StoreWriter, "writePiece" | "pendingBytes">;
  /** The connected peers. */
  readonly sessions: ReadonlyMap<PeerKey, P>;
  /** Payload received, useful or not. */
  readonly down: { add(bytes: number): void };
  /** Peer-ids (hex) of the peers that sent us at least one block. */
  readonly contributors: Set<string>;
  /** Bytes received that turned out useless (duplicates, failed pieces). */
  wasted: number;
  readonly swarm: {
    broadcast(message: { readonly type: "have"; readonly index: number }): void;
    /** Drops a peer and never lets it back. */
    ban(peer: P, reason: string): void;
  };
  addLog(level: "warn", text: string): void;
}

/** What the torrent does with the outcome of a write. */
export interface IntakeEvents {
  /** Piece `index` is on disk, marked verified in the picker and announced. */
  verified(index: number): void;
  /** The store failed (disk full, permission denied): fatal for the torrent. */
  failed(message: string): void;
}

/**
 * The receive path of one torrent.
 * @example
 * ```ts
 * const intake = new BlockIntake(torrent, {
 *   verified: (index) => console.log(`piece ${index} done`),
 *   failed: (message) => console.error(message),
 * });
 * intake.onBlock(session, 0, 0, block);
 * await intake.settled(); // every whole piece so far is written or rejected
 * ```
 */
export class BlockIntake<P extends IntakePeer> {
  readonly #host: BlockIntakeHost<P>;
  readonly #events: IntakeEvents;
  /** Pieces being hashed and written. */
  readonly #writing = new Set<Promise<void>>();

  constructor(host: BlockIntakeHost<P>, events: IntakeEvents) {
    this.#host = host;
    this.#events = events;
  }

  /** False while storage is backed up: no new requests until it drains. */
  get accepting(): boolean {
    return this.#host.store.pendingBytes < MAX_PENDING_WRITE_BYTES;
  }

  /** A block arrived that `session` was asked for. */
  onBlock(session: P, index: number, begin: number, block: Uint8Array): void {
    const host = this.#host;
    const outcome = host.picker.onBlock(session.key, index, begin, block);
    if (outcome.kind === "invalid") return session.close(`sent a bad block: ${outcome.reason}`);
    host.down.add(block.length); // payload received, useful or not: what the peer sent us
    if (outcome.kind === "unneeded") {
      host.wasted += block.length;
      return;
    }
    if (session.down.total === block.length) {
      host.contributors.add(toHex(session.conn.remote.peerId));
    }
    for (const other of outcome.cancel) {
      host.sessions.get(other)?.cancel(index, begin, block.length);
    }
    if (outcome.piece.verifying) {
      const job = this.#write(outcome.piece.index, outcome.piece.data);
      this.#writing.add(job);
      job.finally(() => this.#writing.delete(job));
    }
  }

  /** Resolves when every whole piece handed to the store so far is written or rejected. */
  async settled(): Promise<void> {
    await Promise.all(this.#writing);
  }

  async #write(index: number, data: Uint8Array): Promise<void> {
    const host = this.#host;
    const size = data.length; // the store takes the buffer over (to recycle it)
    let ok: boolean;
    try {
      ok = await host.store.writePiece(index, data);
    } catch (error) {
      return this.#events.failed(error instanceof Error ? error.message : String(error));
    }
    if (ok) {
      host.picker.markVerified(index);
      host.swarm.broadcast({ type: "have", index });
      this.#events.verified(index);
    } else {
      host.wasted += size;
      this.#punish(index, host.picker.markFailed(index));
    }
    for (const s of host.sessions.values()) s.fillRequests();
  }

  /** A piece failed its hash check: a piece from one peer alone convicts it; shared ones need three. */
  #punish(index: number, suspects: PeerKey[]): void {
    const host = this.#host;
    host.addLog("warn", `piece ${index} failed its hash check; fetching it again`);
    for (const key of suspects) {
      const s = host.sessions.get(key);
      if (!s || (++s.strikes < STRIKES_TO_BAN && suspects.length > 1)) continue;
      host.swarm.ban(s, `sent data that failed the hash check (piece ${index})`);
    }
  }
}
