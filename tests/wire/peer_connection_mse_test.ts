/**
 * MSE at the connection edge, over real loopback sockets: acceptPeer answers encrypted and
 * plaintext openings alike and carries messages through RC4 afterwards; connectPeer falls back
 * to MSE when a peer hangs up on its plaintext handshake.
 */
import assert from "node:assert/strict";
import { bytesEqual, concatBytes } from "../../src/util/bytes.ts";
import { decodeHandshake, encodeHandshake, HANDSHAKE_LENGTH } from "../../src/wire/handshake.ts";
import { initiateMse } from "../../src/wire/mse/initiator.ts";
import { writeAll } from "../../src/util/write_all.ts";
import { HandshakeReader } from "../../src/wire/mse/handshake_reader.ts";
import { CRYPTO_PLAINTEXT, CRYPTO_RC4 } from "../../src/wire/mse/negotiation.ts";
import { respondMse } from "../../src/wire/mse/responder.ts";
import {
  acceptPeer,
  connectPeer,
  PeerConnectError,
  type PeerConnection,
} from "../../src/wire/peer_connection.ts";
import { withTimeout } from "../support/process.ts";
import { CLIENT, SERVED } from "../support/wire_identities.ts";

const HAVE_7 = new Uint8Array([0, 0, 0, 5, 4, 0, 0, 0, 7]);

/** Accepts one connection with acceptPeer, serving SERVED (also found by MSE). */
function acceptOne(): { port: number; peer: Promise<PeerConnection>; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const peer = listener.accept().then((conn) =>
    acceptPeer(
      conn,
      (infoHash) => bytesEqual(infoHash, SERVED.infoHash) ? SERVED : undefined,
      { timeoutMs: 3000, infoHashes: () => [new Uint8Array(20).fill(0x99), SERVED.infoHash] },
    )
  );
  return { port: listener.addr.port, peer, close: () => listener.close() };
}

for (const [name, provide] of [["RC4", CRYPTO_RC4], ["plaintext", CRYPTO_PLAINTEXT]] as const) {
  Deno.test(`acceptPeer takes an MSE initiator (${name}) and messages flow both ways`, async () => {
    const server = acceptOne();
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    try {
      const outcome = await withTimeout(
        initiateMse(conn, {
          infoHash: SERVED.infoHash,
          provide,
          initialPayload: encodeHandshake(CLIENT),
        }),
        5000,
        "MSE handshake",
      );
      const peer = await withTimeout(server.peer, 5000, "acceptPeer");
      try {
        assert.deepEqual(peer.remote.peerId, CLIENT.peerId);
        assert.equal(peer.encryption, name === "RC4" ? "rc4" : "plaintext-mse");
        // Their handshake, then a message of ours, through the negotiated stream.
        await peer.send([{ type: "have", index: 7 }]);
        const reader = new HandshakeReader(conn, outcome.initial);
        const received = await withTimeout(
          reader.exactly(HANDSHAKE_LENGTH + HAVE_7.length),
          5000,
          "bytes from acceptPeer",
        );
        // `initial` is already decrypted; only what came later is still encrypted.
        const fresh = received.subarray(outcome.initial.length);
        outcome.ciphers?.decrypt.apply(fresh);
        assert.deepEqual(
          decodeHandshake(received.subarray(0, HANDSHAKE_LENGTH)).peerId,
          SERVED.peerId,
        );
        assert.deepEqual(received.subarray(HANDSHAKE_LENGTH), HAVE_7);
        // And a message of theirs to us.
        const out = HAVE_7.slice();
        outcome.ciphers?.encrypt.apply(out);
        await writeAll(conn, out);
        const frame = await withTimeout(peer.frames.read(), 5000, "frame");
        assert.deepEqual(frame.value, { type: "have", index: 7 });
      } finally {
        peer.close();
      }
    } finally {
      conn.close();
      server.close();
    }
  });
}

Deno.test("acceptPeer still takes plaintext peers; MSE for another torrent is refused", async () => {
  const server = acceptOne();
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  try {
    await writeAll(conn, encodeHandshake(CLIENT));
    const peer = await withTimeout(server.peer, 5000, "acceptPeer");
    assert.equal(peer.encryption, "none");
    peer.close();
  } finally {
    conn.close();
    server.close();
  }
  const refusing = acceptOne();
  const other = await Deno.connect({ hostname: "127.0.0.1", port: refusing.port });
  try {
    initiateMse(other, { infoHash: new Uint8Array(20).fill(0x55), provide: CRYPTO_RC4 })
      .catch(() => {});
    await assert.rejects(
      () => withTimeout(refusing.peer, 5000, "acceptPeer"),
      (error) => error instanceof PeerConnectError && /do not serve/.test(error.message),
    );
  } finally {
    other.close();
    refusing.close();
  }
});

Deno.test("acceptPeer drops a silent MSE initiator at the handshake deadline", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  try {
    const incoming = await listener.accept();
    const started = Date.now();
    const accepting = acceptPeer(incoming, () => SERVED, {
      timeoutMs: 300,
      infoHashes: () => [SERVED.infoHash],
    });
    await writeAll(conn, new Uint8Array(96).fill(7)); // a public key, then nothing
    await assert.rejects(() => withTimeout(accepting, 5000, "acceptPeer"), PeerConnectError);
    assert.ok(Date.now() - started < 2000);
  } finally {
    conn.close();
    listener.close();
  }
});

/**
 * A peer that requires encryption: it hangs up on plaintext handshakes, and behind MSE answers
 * the BitTorrent handshake and sends one `have`.
 */
async function encryptionRequiredPeer(
  listener: Deno.TcpListener,
  select: number,
): Promise<{ plaintextRefused: number }> {
  let plaintextRefused = 0;
  while (true) {
    const conn = await listener.accept();
    try {
      const opening = new Uint8Array(1024);
      const n = (await conn.read(opening))!;
      if (opening[0] === 19) {
        plaintextRefused++;
        continue;
      }
      const outcome = await respondMse(conn, {
        infoHashes: [SERVED.infoHash],
        opening: opening.slice(0, n),
      });
      assert.equal(outcome.method, select === CRYPTO_RC4 ? "rc4" : "plaintext");
      const reader = new HandshakeReader(conn, outcome.initial);
      const theirs = await reader.exactly(HANDSHAKE_LENGTH);
      outcome.ciphers?.decrypt.apply(theirs.subarray(outcome.initial.length));
      assert.deepEqual(decodeHandshake(theirs).peerId, CLIENT.peerId);
      const reply = concatBytes([encodeHandshake(SERVED), HAVE_7]);
      outcome.ciphers?.encrypt.apply(reply);
      await writeAll(conn, reply);
      // Keep it open until the client is done reading.
      await conn.read(new Uint8Array(16)).catch(() => null);
      return { plaintextRefused };
    } finally {
      conn.close();
    }
  }
}

Deno.test("connectPeer retries with MSE when a peer hangs up on plaintext", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const serving = encryptionRequiredPeer(listener, CRYPTO_PLAINTEXT);
    const peer = await connectPeer(
      { host: "127.0.0.1", port: listener.addr.port },
      CLIENT,
      { timeoutMs: 5000 },
    );
    try {
      assert.equal(peer.encryption, "plaintext-mse");
      assert.deepEqual(peer.remote.peerId, SERVED.peerId);
      const frame = await withTimeout(peer.frames.read(), 5000, "frame");
      assert.deepEqual(frame.value, { type: "have", index: 7 });
    } finally {
      peer.close();
    }
    assert.equal((await withTimeout(serving, 5000, "peer")).plaintextRefused, 1);
  } finally {
    listener.close();
  }
});

Deno.test("connectPeer without encryptionRetry gives up after the plaintext hang-up", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    encryptionRequiredPeer(listener, CRYPTO_PLAINTEXT).catch(() => {});
    await assert.rejects(
      () =>
        connectPeer({ host: "127.0.0.1", port: listener.addr.port }, CLIENT, {
          timeoutMs: 3000,
          encryptionRetry: false,
        }),
      /closed before handshake/,
    );
  } finally {
    listener.close();
  }
});
