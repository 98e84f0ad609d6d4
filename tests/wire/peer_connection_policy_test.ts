/**
 * Encryption policies at the connection edge, over real loopback sockets: connectPeer with one
 * policy against acceptPeer with another (or a hand-built peer), checking what each side ends
 * up with, what is refused, and how many dials it took.
 */
import assert from "node:assert/strict";
import { bytesEqual } from "../../src/util/bytes.ts";
import { writeAll } from "../../src/util/write_all.ts";
import type { EncryptionPolicy } from "../../src/wire/encryption_policy.ts";
import { decodeHandshake, encodeHandshake, HANDSHAKE_LENGTH } from "../../src/wire/handshake.ts";
import { HandshakeReader } from "../../src/wire/mse/handshake_reader.ts";
import { initiateMse } from "../../src/wire/mse/initiator.ts";
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

/** Settled acceptPeer results, one per incoming connection. */
type Accepted = PromiseSettledResult<PeerConnection>;

/** A listener that runs acceptPeer with `policy` on every connection and keeps each outcome. */
function server(policy: EncryptionPolicy) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const results: Promise<Accepted>[] = [];
  (async () => {
    for await (const conn of listener) {
      const accepting = acceptPeer(
        conn,
        (infoHash) => bytesEqual(infoHash, SERVED.infoHash) ? SERVED : undefined,
        { timeoutMs: 3000, infoHashes: () => [SERVED.infoHash], encryption: policy },
      );
      results.push(accepting.then(
        (value): Accepted => ({ status: "fulfilled", value }),
        (reason): Accepted => ({ status: "rejected", reason }),
      ));
    }
  })().catch(() => {});
  return {
    port: listener.addr.port,
    /** The outcome of the `n`th connection (from 0), once it has one. */
    async accepted(n: number): Promise<Accepted> {
      const started = Date.now();
      while (results.length <= n) {
        if (Date.now() - started > 5000) throw new Error(`no connection #${n}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return await withTimeout(results[n], 5000, `acceptPeer #${n}`);
    },
    connections: () => results.length,
    async close() {
      listener.close();
      for (const r of await Promise.all(results)) if (r.status === "fulfilled") r.value.close();
    },
  };
}

function dial(port: number, encryption: EncryptionPolicy, encryptionRetry?: boolean) {
  return withTimeout(
    connectPeer({ host: "127.0.0.1", port }, CLIENT, {
      timeoutMs: 3000,
      encryption,
      encryptionRetry,
    }),
    5000,
    "connectPeer",
  );
}

/** Both ends agree on the stream, and a message crosses it. */
async function assertWorking(ours: PeerConnection, theirs: Accepted, encryption: string) {
  assert.equal(theirs.status, "fulfilled", String((theirs as PromiseRejectedResult).reason));
  const accepted = (theirs as PromiseFulfilledResult<PeerConnection>).value;
  assert.equal(ours.encryption, encryption);
  assert.equal(accepted.encryption, encryption);
  assert.deepEqual(ours.remote.peerId, SERVED.peerId);
  await ours.send([{ type: "have", index: 7 }]);
  const frame = await withTimeout(accepted.frames.read(), 5000, "frame");
  assert.deepEqual(frame.value, { type: "have", index: 7 });
}

const PAIRS: [EncryptionPolicy, EncryptionPolicy, string][] = [
  ["prefer", "tolerate", "plaintext-mse"],
  ["prefer", "prefer", "rc4"],
  ["prefer", "require", "rc4"],
  ["require", "tolerate", "rc4"],
  ["require", "prefer", "rc4"],
  ["require", "require", "rc4"],
  ["tolerate", "tolerate", "none"],
  ["tolerate", "prefer", "none"],
];

for (const [dialer, responder, expected] of PAIRS) {
  Deno.test(`${dialer} dialling a ${responder} peer: one connection, ${expected}`, async () => {
    const peer = server(responder);
    try {
      const ours = await dial(peer.port, dialer);
      try {
        await assertWorking(ours, await peer.accepted(0), expected);
        assert.equal(peer.connections(), 1);
      } finally {
        ours.close();
      }
    } finally {
      await peer.close();
    }
  });
}

Deno.test("tolerate dialling a require peer: plaintext refused, the MSE retry gets RC4", async () => {
  const peer = server("require");
  try {
    const ours = await dial(peer.port, "tolerate");
    try {
      const first = await peer.accepted(0);
      assert.equal(first.status, "rejected");
      assert.ok(first.reason instanceof PeerConnectError, String(first.reason));
      assert.match(first.reason.message, /plaintext handshake, encryption required/);
      await assertWorking(ours, await peer.accepted(1), "rc4");
    } finally {
      ours.close();
    }
  } finally {
    await peer.close();
  }
});

Deno.test("a plaintext-only dial to a require peer fails on both sides", async () => {
  const peer = server("require");
  try {
    await assert.rejects(() => dial(peer.port, "tolerate", false), PeerConnectError);
    const refused = await peer.accepted(0);
    assert.equal(refused.status, "rejected");
    assert.ok(refused.reason instanceof PeerConnectError);
    assert.equal(peer.connections(), 1);
  } finally {
    await peer.close();
  }
});

for (const [responder, expected] of [["require", undefined], ["prefer", "plaintext"]] as const) {
  Deno.test(`an MSE initiator offering only plaintext to a ${responder} peer`, async () => {
    const peer = server(responder);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: peer.port });
    try {
      const initiating = initiateMse(conn, {
        infoHash: SERVED.infoHash,
        provide: CRYPTO_PLAINTEXT,
        initialPayload: encodeHandshake(CLIENT),
      });
      initiating.catch(() => {});
      const result = await peer.accepted(0);
      if (expected === undefined) {
        assert.equal(result.status, "rejected");
        assert.ok(result.reason instanceof PeerConnectError);
        assert.match(result.reason.message, /no common crypto method/);
        await assert.rejects(() => withTimeout(initiating, 5000, "initiator"));
      } else {
        assert.equal(result.status, "fulfilled");
        assert.equal(result.value.encryption, "plaintext-mse");
        assert.equal((await withTimeout(initiating, 5000, "initiator")).method, expected);
      }
    } finally {
      conn.close();
      await peer.close();
    }
  });
}

/**
 * A peer that knows no MSE: it hangs up on anything but a plaintext BitTorrent handshake, which
 * it answers. Counts the connections it saw.
 */
function plaintextOnlyPeer() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const seen = { encrypted: 0, plaintext: 0 };
  const open: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) {
      const opening = await new HandshakeReader(conn).exactly(HANDSHAKE_LENGTH).catch(() => null);
      if (!opening || opening[0] !== 19) {
        seen.encrypted++;
        conn.close();
        continue;
      }
      seen.plaintext++;
      assert.deepEqual(decodeHandshake(opening).peerId, CLIENT.peerId);
      await writeAll(conn, encodeHandshake(SERVED));
      open.push(conn);
    }
  })().catch(() => {});
  return {
    port: listener.addr.port,
    seen,
    close() {
      listener.close();
      for (const conn of open) conn.close();
    },
  };
}

Deno.test("prefer dialling a peer without MSE: the encrypted try fails, plaintext works", async () => {
  const peer = plaintextOnlyPeer();
  try {
    const ours = await dial(peer.port, "prefer");
    try {
      assert.equal(ours.encryption, "none");
      assert.deepEqual(ours.remote.peerId, SERVED.peerId);
      assert.deepEqual(peer.seen, { encrypted: 1, plaintext: 1 });
    } finally {
      ours.close();
    }
  } finally {
    peer.close();
  }
});

Deno.test("require dialling a peer without MSE: refused, no plaintext fallback", async () => {
  const peer = plaintextOnlyPeer();
  try {
    await assert.rejects(() => dial(peer.port, "require"), PeerConnectError);
    await new Promise((r) => setTimeout(r, 100)); // a fallback dial would arrive by now
    assert.deepEqual(peer.seen, { encrypted: 1, plaintext: 0 });
  } finally {
    peer.close();
  }
});

Deno.test("require dialling a peer that selects plaintext anyway: refused", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let connections = 0;
  const serving = (async () => {
    for await (const conn of listener) {
      connections++;
      // Selects plaintext though only RC4 was offered: a broken or downgrading peer.
      await respondMse(conn, { infoHashes: [SERVED.infoHash], select: () => "plaintext" })
        .catch(() => {});
      await conn.read(new Uint8Array(16)).catch(() => null);
      conn.close();
    }
  })().catch(() => {});
  try {
    await assert.rejects(
      () => dial(listener.addr.port, "require"),
      (error) => error instanceof PeerConnectError && /not one we offered/.test(error.message),
    );
    assert.equal(connections, 1);
  } finally {
    listener.close();
    await serving;
  }
});

Deno.test("require dials MSE offering RC4 alone", async () => {
  // The initiator side of `require`, seen from a responder that records the offer.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const offers: number[] = [];
  const serving = (async () => {
    const conn = await listener.accept();
    try {
      await respondMse(conn, {
        infoHashes: [SERVED.infoHash],
        select: (provided) => {
          offers.push(provided);
          return undefined;
        },
      }).catch(() => {});
    } finally {
      conn.close();
    }
  })();
  try {
    await assert.rejects(() => dial(listener.addr.port, "require"), PeerConnectError);
    await withTimeout(serving, 5000, "responder");
    assert.deepEqual(offers, [CRYPTO_RC4]);
  } finally {
    listener.close();
  }
});
