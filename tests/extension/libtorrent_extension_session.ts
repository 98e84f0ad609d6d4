/**
 * A real libtorrent (python3-libtorrent) seed on 127.0.0.1 and a minimal client of ours that
 * speaks the extension protocol to it: used by libtorrent_extension_test.ts, and run directly
 * to refresh the captured handshake in tests/data/extension/:
 *
 *   deno run -A tests/extension/libtorrent_extension_session.ts
 * @module
 */

import { encodeExtendedHandshake } from "../../src/extension/extended_handshake.ts";
import { LOCAL_EXTENSION_IDS } from "../../src/extension/extension_ids.ts";
import type { Metainfo } from "../../src/metainfo/types.ts";
import { connectPeer, type PeerConnection } from "../../src/wire/peer_connection.ts";
import { startLibtorrent } from "../support/libtorrent.ts";
import { withTimeout } from "../support/process.ts";
import { syntheticTorrent } from "../support/synthetic_torrent.ts";

/** Where the captured extended handshake of libtorrent is kept. */
export const CAPTURED_HANDSHAKE = new URL(
  "../data/extension/libtorrent_2.0_extended_handshake.bin",
  import.meta.url,
);

/** An open connection to a libtorrent seed, after both extended handshakes were sent. */
export interface ExtensionSession {
  readonly metainfo: Metainfo;
  readonly peer: PeerConnection;
  /** libtorrent's extended handshake payload, as received. */
  readonly handshakePayload: Uint8Array;
  /** The next extended message (id > 0) libtorrent sends, other messages skipped. */
  nextExtended(timeoutMs: number): Promise<{ id: number; payload: Uint8Array }>;
}

/**
 * Seeds a 1000-piece torrent (its info dict spans two metadata pieces) with libtorrent, connects
 * with the extension bit set, sends our extended handshake, reads libtorrent's, and runs `body`.
 * Everything is stopped and removed afterwards.
 * @example
 * ```ts
 * await withLibtorrentExtensionSession((s) => Promise.resolve(s.handshakePayload.length));
 * ```
 */
export async function withLibtorrentExtensionSession<T>(
  body: (session: ExtensionSession) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "bt-extension-" });
  try {
    const torrent = await syntheticTorrent("payload.bin", [{
      path: "payload.bin",
      length: 1000 * 16384,
    }], 16384);
    await Deno.writeFile(`${dir}/payload.bin`, torrent.content);
    await Deno.writeFile(`${dir}/payload.torrent`, torrent.torrentBytes);
    const seed = await startLibtorrent({ torrent: `${dir}/payload.torrent`, dir, mode: "seed" });
    try {
      const peer = await connectPeer({ host: "127.0.0.1", port: seed.port }, {
        infoHash: torrent.metainfo.infoHash,
        peerId: new TextEncoder().encode("-BT0001-extensiontst"),
        features: { extended: true, fast: true, dht: false },
      }, { timeoutMs: 10_000 });
      try {
        if (!peer.remote.features.extended) {
          throw new Error("libtorrent did not set the extension bit");
        }
        await withTimeout(
          peer.send([{
            type: "extended",
            id: 0,
            payload: encodeExtendedHandshake({ m: LOCAL_EXTENSION_IDS, v: "bittorrent-ts test" }),
          }]),
          5_000,
          "sending our extended handshake",
        );
        const next = async (timeoutMs: number, wantId: (id: number) => boolean) => {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const { value, done } = await withTimeout(
              peer.frames.read(),
              Math.max(1, deadline - Date.now()),
              "a message from libtorrent",
            );
            if (done) throw new Error("libtorrent closed the connection");
            // Frames may be views into a reused chunk: copy what is kept.
            if (value.type === "extended" && wantId(value.id)) {
              return { id: value.id, payload: value.payload.slice() };
            }
          }
        };
        const handshake = await next(10_000, (id) => id === 0);
        return await body({
          metainfo: torrent.metainfo,
          peer,
          handshakePayload: handshake.payload,
          nextExtended: (ms) => next(ms, (id) => id > 0),
        });
      } finally {
        peer.close();
      }
    } finally {
      await seed.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const payload = await withLibtorrentExtensionSession((s) => Promise.resolve(s.handshakePayload));
  await Deno.writeFile(CAPTURED_HANDSHAKE, payload);
  console.log(`wrote ${payload.length} bytes to ${CAPTURED_HANDSHAKE.pathname}`);
  console.log(new TextDecoder("latin1").decode(payload));
}
