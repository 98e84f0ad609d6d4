/**
 * The worker side of {@linkcode WorkerStore}: a {@linkcode FileStore} on a thread of its own, so
 * hashing and disk writes never take time from the thread that talks to peers.
 * @module
 */

/// <reference lib="deno.worker" />

import type { Metainfo } from "../metainfo/types.ts";
import { FileStore } from "./file_store.ts";
import type { StoreRequest, StoreResponse } from "./store_protocol.ts";

let store: FileStore | undefined;

self.onmessage = async (event: MessageEvent<StoreRequest>) => {
  const request = event.data;
  const reply = (response: StoreResponse, transfer: Transferable[] = []) =>
    self.postMessage(response, { transfer });
  try {
    switch (request.op) {
      case "init":
        store = new FileStore(request.metainfo as Metainfo, request.dir);
        return reply({ id: request.id, ok: true });
      case "write": {
        const ok = await store!.writePiece(request.index, request.data);
        // The buffer goes back, to be filled with another piece.
        const data = request.data;
        return reply({ id: request.id, ok, data }, [data.buffer as ArrayBuffer]);
      }
      case "read": {
        const data = await store!.read(request.index, request.begin, request.length);
        return reply({ id: request.id, data }, [data.buffer as ArrayBuffer]);
      }
      case "check":
        return reply({ id: request.id, ok: await store!.checkPiece(request.index) });
      case "empty":
        await store!.createEmptyFiles();
        return reply({ id: request.id, ok: true });
      case "skip":
        await store!.setSkipped(request.fileIndex, request.skipped);
        return reply({ id: request.id, ok: true });
      case "flush":
        await store!.flush();
        return reply({ id: request.id, ok: true });
      case "close":
        await store?.close();
        return reply({ id: request.id, ok: true });
    }
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply({ id: request.id, error: { name: e.name, message: e.message } });
  }
};
