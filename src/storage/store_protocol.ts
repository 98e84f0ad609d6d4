/**
 * Messages between {@linkcode WorkerStore} and its worker.
 * @module
 */

import type { Metainfo } from "../metainfo/types.ts";

/** A call to the worker's store. */
export type StoreRequest =
  | { readonly id: number; readonly op: "init"; readonly metainfo: Metainfo; readonly dir: string }
  | { readonly id: number; readonly op: "write"; readonly index: number; readonly data: Uint8Array }
  | {
    readonly id: number;
    readonly op: "read";
    readonly index: number;
    readonly begin: number;
    readonly length: number;
  }
  | { readonly id: number; readonly op: "check"; readonly index: number }
  | { readonly id: number; readonly op: "empty" | "flush" | "close" }
  | {
    readonly id: number;
    readonly op: "skip";
    readonly fileIndex: number;
    readonly skipped: boolean;
  };

/** The worker's answer: a result, read bytes, or an error (name and message). */
export type StoreResponse =
  | { readonly id: number; readonly ok: boolean; readonly data?: Uint8Array }
  | { readonly id: number; readonly data: Uint8Array }
  | { readonly id: number; readonly error: { readonly name: string; readonly message: string } };
