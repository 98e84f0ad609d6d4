import assert from "node:assert/strict";
import { PeerSession } from "../../src/torrent/peer_session.ts";
import type { SwarmHost } from "../../src/torrent/swarm_host.ts";
import { Bitfield } from "../../src/util/bitfield.ts";
import type { PeerConnection } from "../../src/wire/peer_connection.ts";
import type { WireFrame } from "../../src/wire/message_streams.ts";

Deno.test("a frame that arrives after the session closed is not handled", async () => {
  // The reader task may be waiting on a read when the session is closed (the torrent stops);
  // a block the read still delivers must not reach the torrent, which may be closing its files.
  let deliver!: (result: ReadableStreamReadResult<WireFrame>) => void;
  const conn = {
    remote: { peerId: new Uint8Array(20), features: { fast: false, extended: false, dht: false } },
    frames: { read: () => new Promise((resolve) => deliver = resolve) },
    close() {},
    address: "127.0.0.1:1",
  } as unknown as PeerConnection;
  const blocks: number[] = [];
  const host = {
    picker: { pieceCount: 4 },
    localExtensions: {},
    onClosed() {},
    onBlock: (_session: PeerSession, index: number) => blocks.push(index),
  } as unknown as SwarmHost;
  const session = new PeerSession(1, conn, host);
  session.start(new Bitfield(4));
  session.close("torrent stopped");
  deliver({ done: false, value: { type: "piece", index: 2, begin: 0, block: new Uint8Array(16) } });
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(blocks, []);
});
