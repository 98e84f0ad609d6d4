/**
 * One peer's side of the extension protocol (BEP 10): our extended handshake, what the peer
 * said in its own, and turning its ut_metadata and ut_pex messages into events. Shared by the
 * full peer session and the metadata-only session of a magnet link.
 * @module
 */

import {
  decodeExtendedHandshake,
  encodeExtendedHandshake,
  type ExtendedHandshake,
  mergeExtendedHandshake,
  peerExtensionId,
} from "../extension/extended_handshake.ts";
import { ExtensionError } from "../extension/extension_error.ts";
import {
  EXTENDED_HANDSHAKE_ID,
  type ExtensionName,
  LOCAL_EXTENSION_IDS,
  localExtensionOf,
} from "../extension/extension_ids.ts";
import {
  decodeMetadataMessage,
  encodeMetadataMessage,
  type MetadataMessage,
} from "../extension/ut_metadata.ts";
import { decodePexMessage, encodePexMessage, type PexMessage } from "../extension/ut_pex.ts";
import type { Message } from "../wire/messages.ts";
import { VERSION } from "../version.ts";

/** What we advertise in our extended handshake. */
export interface LocalExtensions {
  /** Our listen port (`p`). */
  readonly port?: number;
  /** Size of our info dict, once we have it (`metadata_size`). */
  readonly metadataSize?: number;
  /** Private torrents (BEP 27) do not exchange peers. */
  readonly pex: boolean;
  /** Requests we queue from one peer (`reqq`). */
  readonly reqq?: number;
}

/** An extension message from the peer, decoded. */
export type ExtensionEvent =
  | { readonly type: "handshake"; readonly handshake: ExtendedHandshake }
  | { readonly type: "metadata"; readonly message: MetadataMessage }
  | { readonly type: "pex"; readonly message: PexMessage };

/** The client name we send as `v`. */
export const CLIENT_VERSION = `bittorrent-ts ${VERSION}`;

/**
 * Extension state of one connection.
 * @example
 * ```ts
 * const ext = new PeerExtensions({ pex: true, port: 6881 });
 * session.send(ext.handshakeMessage());
 * const event = ext.decode(msg.id, msg.payload); // on every extended message
 * ```
 */
export class PeerExtensions {
  readonly #local: LocalExtensions;
  /** The peer's extended handshake, once received. */
  remote: ExtendedHandshake | undefined;

  constructor(local: LocalExtensions) {
    this.#local = local;
  }

  /** Our extended handshake, to send right after the BitTorrent handshake. */
  handshakeMessage(): Message {
    const m: Record<string, number> = { ...LOCAL_EXTENSION_IDS };
    if (!this.#local.pex) m.ut_pex = 0;
    const payload = encodeExtendedHandshake({
      m,
      v: CLIENT_VERSION,
      p: this.#local.port,
      reqq: this.#local.reqq ?? 500,
      metadataSize: this.#local.metadataSize,
    });
    return { type: "extended", id: EXTENDED_HANDSHAKE_ID, payload };
  }

  /**
   * Decodes an extended message. Undefined for messages we ignore (unknown extensions, and
   * malformed ones: a bad extension message is the peer's problem, not a reason to drop it).
   */
  decode(id: number, payload: Uint8Array): ExtensionEvent | undefined {
    try {
      if (id === EXTENDED_HANDSHAKE_ID) {
        const handshake = decodeExtendedHandshake(payload);
        this.remote = this.remote ? mergeExtendedHandshake(this.remote, handshake) : handshake;
        return { type: "handshake", handshake: this.remote };
      }
      const name = localExtensionOf(id);
      if (name === "ut_metadata") {
        const message = decodeMetadataMessage(payload);
        return message && { type: "metadata", message };
      }
      if (name === "ut_pex" && this.#local.pex) {
        return { type: "pex", message: decodePexMessage(payload) };
      }
    } catch (error) {
      if (!(error instanceof ExtensionError)) throw error;
    }
    return undefined;
  }

  /** The peer's id for an extension, when it supports it. */
  supports(name: ExtensionName): boolean {
    return this.remote !== undefined && peerExtensionId(this.remote, name) !== undefined;
  }

  /** A ut_metadata message for the peer (undefined when it does not speak ut_metadata). */
  metadataMessage(message: MetadataMessage): Message | undefined {
    const id = this.remote && peerExtensionId(this.remote, "ut_metadata");
    return id === undefined ? undefined : {
      type: "extended",
      id,
      payload: encodeMetadataMessage(message),
    };
  }

  /** A ut_pex message for the peer (undefined when it does not speak ut_pex or PEX is off). */
  pexMessage(message: PexMessage): Message | undefined {
    const id = this.remote && peerExtensionId(this.remote, "ut_pex");
    if (id === undefined || !this.#local.pex) return undefined;
    return { type: "extended", id, payload: encodePexMessage(message) };
  }
}
