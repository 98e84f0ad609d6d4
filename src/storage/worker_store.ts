/**
 * A {@linkcode DiskStore} whose files, hashing and writes live on a worker thread. Pieces are
 * transferred to it (not copied); the peer thread only keeps the bookkeeping.
 * @module
 */

import type { Metainfo } from "../metainfo/types.ts";
import { FileLayout } from "./file_layout.ts";
import { filePath } from "./file_store.ts";
import type { StoreRequest, StoreResponse } from "./store_protocol.ts";
import { type DiskStore, StoreError } from "./store_writer.ts";

/** Recycled piece buffers kept at most. */
const MAX_SPARE = 32;

type Call = StoreRequest extends infer R ? R extends { id: number } ? Omit<R, "id"> : never : never;

/**
 * Storage on a worker thread.
 * @example
 * ```ts
 * const store = new WorkerStore(metainfo, "downloads");
 * await store.writePiece(0, data); // `data` is handed over to the worker
 * await store.close();
 * ```
 */
export class WorkerStore implements DiskStore {
  readonly layout: FileLayout;
  readonly paths: readonly string[];
  readonly #worker: Worker;
  readonly #calls = new Map<number, PromiseWithResolvers<StoreResponse>>();
  readonly #skipped = new Set<number>();
  /** Piece buffers back from the worker, for the next pieces. */
  readonly #spare: Uint8Array[] = [];
  #nextId = 1;
  #pending = 0;
  #closed: Promise<void> | undefined;

  constructor(metainfo: Metainfo, dir: string) {
    this.layout = new FileLayout(metainfo.files, metainfo.pieceLength);
    this.paths = metainfo.files.map((f) => filePath(dir, f.path));
    this.#worker = new Worker(new URL("./store_worker.ts", import.meta.url).href, {
      type: "module",
    });
    this.#worker.onmessage = (event: MessageEvent<StoreResponse>) => {
      const call = this.#calls.get(event.data.id);
      this.#calls.delete(event.data.id);
      call?.resolve(event.data);
    };
    this.#worker.onerror = (event) => {
      event.preventDefault();
      const error = new StoreError(`storage worker failed: ${event.message}`);
      for (const call of this.#calls.values()) call.reject(error);
      this.#calls.clear();
    };
    this.#call({ op: "init", metainfo, dir }).catch(() => {});
  }

  get pendingBytes(): number {
    return this.#pending;
  }

  async writePiece(index: number, data: Uint8Array): Promise<boolean> {
    // Transferring detaches the buffer: hand over a piece that owns its whole buffer.
    const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength
      ? data
      : data.slice();
    const length = own.length; // the transfer empties `own`
    this.#pending += length;
    try {
      const response = await this.#call({ op: "write", index, data: own }, [
        own.buffer as ArrayBuffer,
      ]);
      if ("data" in response && response.data && this.#spare.length < MAX_SPARE) {
        this.#spare.push(response.data);
      }
      return ok(response);
    } finally {
      this.#pending -= length;
    }
  }

  allocatePiece(size: number): Uint8Array {
    const spare = this.#spare.pop();
    if (spare?.length === size) return spare;
    return new Uint8Array(size); // the last piece is shorter: its buffer is not recycled
  }

  async read(index: number, begin: number, length: number): Promise<Uint8Array> {
    const response = await this.#call({ op: "read", index, begin, length });
    if ("data" in response && response.data) return response.data;
    throw new StoreError("storage worker sent no data");
  }

  async checkPiece(index: number): Promise<boolean> {
    return ok(await this.#call({ op: "check", index }));
  }

  async createEmptyFiles(): Promise<void> {
    await this.#call({ op: "empty" });
  }

  async setSkipped(fileIndex: number, skipped: boolean): Promise<void> {
    if (skipped) this.#skipped.add(fileIndex);
    else this.#skipped.delete(fileIndex);
    await this.#call({ op: "skip", fileIndex, skipped });
  }

  isSkipped(fileIndex: number): boolean {
    return this.#skipped.has(fileIndex);
  }

  async flush(): Promise<void> {
    await this.#call({ op: "flush" });
  }

  /** Closes the files and ends the worker. Safe to call twice. */
  close(): Promise<void> {
    this.#closed ??= this.#call({ op: "close" }).then(
      () => this.#worker.terminate(),
      () => this.#worker.terminate(),
    );
    return this.#closed;
  }

  async #call(call: Call, transfer: Transferable[] = []): Promise<StoreResponse> {
    if (this.#closed && call.op !== "close") throw new StoreError("store closed");
    const id = this.#nextId++;
    const waiting = Promise.withResolvers<StoreResponse>();
    this.#calls.set(id, waiting);
    this.#worker.postMessage({ ...call, id } as StoreRequest, { transfer });
    const response = await waiting.promise;
    if ("error" in response) {
      const { name, message } = response.error;
      // Missing files and the like keep their meaning for the caller.
      if (name === "NotFound") throw new Deno.errors.NotFound(message);
      throw name === "RangeError" ? new RangeError(message) : new StoreError(message);
    }
    return response;
  }
}

function ok(response: StoreResponse): boolean {
  return "ok" in response && response.ok;
}
