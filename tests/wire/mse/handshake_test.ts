/**
 * Both MSE roles against each other over in-memory channels: every method, padding lengths,
 * initial payloads, leftover bytes, and the refusals.
 */
import assert from "node:assert/strict";
import { initiateMse } from "../../../src/wire/mse/initiator.ts";
import { respondMse } from "../../../src/wire/mse/responder.ts";
import { MseError } from "../../../src/wire/mse/mse_error.ts";
import {
  CRYPTO_PLAINTEXT,
  CRYPTO_RC4,
  type MseOutcome,
} from "../../../src/wire/mse/negotiation.ts";
import { concatBytes } from "../../../src/util/bytes.ts";
import { duplexPair } from "../../support/memory_duplex.ts";
import { rawInitiator } from "./raw_peers.ts";
import { withTimeout } from "../../support/process.ts";

const INFO_HASH = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
const OTHER_HASH = new Uint8Array(20).fill(0xee);
const ascii = (text: string) => new TextEncoder().encode(text);

interface Run {
  initiator: MseOutcome;
  responder: MseOutcome;
}

async function handshake(
  provide: number,
  options: {
    ia?: Uint8Array;
    padA?: number;
    padB?: number;
    padC?: number;
    padD?: number;
    served?: Uint8Array[];
  } = {},
): Promise<Run> {
  const [a, b] = duplexPair();
  const [initiator, responder] = await withTimeout(
    Promise.all([
      initiateMse(a, {
        infoHash: INFO_HASH,
        provide,
        initialPayload: options.ia,
        padding: { afterKey: options.padA, inNegotiation: options.padC },
      }),
      respondMse(b, {
        infoHashes: options.served ?? [OTHER_HASH, INFO_HASH],
        padding: { afterKey: options.padB, inNegotiation: options.padD },
      }),
    ]),
    5000,
    "MSE handshake",
  );
  return { initiator, responder };
}

Deno.test("the responder picks plaintext when offered, with no ciphers left on either side", async () => {
  const { initiator, responder } = await handshake(CRYPTO_PLAINTEXT | CRYPTO_RC4);
  assert.equal(initiator.method, "plaintext");
  assert.equal(responder.method, "plaintext");
  assert.equal(initiator.ciphers, undefined);
  assert.equal(responder.ciphers, undefined);
  assert.deepEqual(responder.infoHash, INFO_HASH);
});

Deno.test("RC4 only: both sides get matching ciphers that carry data either way", async () => {
  const { initiator, responder } = await handshake(CRYPTO_RC4);
  assert.equal(initiator.method, "rc4");
  assert.equal(responder.method, "rc4");
  const message = ascii("after the handshake");
  const wire = message.slice();
  initiator.ciphers!.encrypt.apply(wire);
  assert.notDeepEqual(wire, message);
  responder.ciphers!.decrypt.apply(wire);
  assert.deepEqual(wire, message);
  const back = message.slice();
  responder.ciphers!.encrypt.apply(back);
  initiator.ciphers!.decrypt.apply(back);
  assert.deepEqual(back, message);
});

Deno.test("plaintext only is honoured", async () => {
  const { responder } = await handshake(CRYPTO_PLAINTEXT);
  assert.equal(responder.method, "plaintext");
});

Deno.test("every padding length 0..512 on either side synchronises", async () => {
  for (
    const [padA, padB, padC, padD] of [
      [0, 0, 0, 0],
      [1, 511, 7, 300],
      [512, 512, 512, 512],
      [20, 8, 0, 0],
      [333, 19, 1, 1],
    ]
  ) {
    for (const provide of [CRYPTO_RC4, CRYPTO_PLAINTEXT | CRYPTO_RC4]) {
      const { responder } = await handshake(provide, { padA, padB, padC, padD });
      assert.deepEqual(responder.infoHash, INFO_HASH, `pads ${padA} ${padB} ${padC} ${padD}`);
    }
  }
});

Deno.test("the initial payload arrives decrypted at the responder, whatever the method", async () => {
  const ia = ascii("\x13BitTorrent protocol and more");
  for (const provide of [CRYPTO_RC4, CRYPTO_PLAINTEXT]) {
    const { responder } = await handshake(provide, { ia, padC: 100 });
    assert.deepEqual(responder.initial, ia);
  }
  const big = Uint8Array.from({ length: 0xffff }, (_, i) => i & 0xff);
  const { responder } = await handshake(CRYPTO_RC4, { ia: big });
  assert.deepEqual(responder.initial, big);
});

Deno.test("stream bytes read along with the handshake come back in `initial`, decrypted", async () => {
  const ia = ascii("payload");
  const after = ascii("the peer's next messages");
  for (const provide of [CRYPTO_RC4, CRYPTO_PLAINTEXT]) {
    const [a, b] = duplexPair();
    const responding = respondMse(b, { infoHashes: [INFO_HASH] });
    rawInitiator(a, { infoHash: INFO_HASH, provide, ia, after }).catch(() => {});
    const responder = await withTimeout(responding, 5000, "responder");
    assert.deepEqual(responder.initial, concatBytes([ia, after]));
  }
});

Deno.test("a torrent we do not serve is refused with MseError", async () => {
  await assert.rejects(() => handshake(CRYPTO_RC4, { served: [OTHER_HASH] }), MseError);
  await assert.rejects(() => handshake(CRYPTO_RC4, { served: [] }), MseError);
});

Deno.test("the responder refuses a crypto_provide without a method it knows", async () => {
  const [a, b] = duplexPair();
  const responding = respondMse(b, { infoHashes: [INFO_HASH] });
  rawInitiator(a, { infoHash: INFO_HASH, provide: 0x04 | 0x08 }).catch(() => {});
  await assert.rejects(() => withTimeout(responding, 5000, "responder"), /no common crypto method/);
});

Deno.test("the responder refuses a wrong VC and an oversized PadC", async () => {
  for (
    const [edit, why] of [
      [{ vc: new Uint8Array(8).fill(1) }, /verification constant/],
      [{ padCField: 513 }, /PadC of 513/],
    ] as const
  ) {
    const [a, b] = duplexPair();
    const responding = respondMse(b, { infoHashes: [INFO_HASH] });
    rawInitiator(a, { infoHash: INFO_HASH, provide: CRYPTO_RC4, ...edit }).catch(() => {});
    await assert.rejects(() => withTimeout(responding, 5000, "responder"), why);
  }
});

Deno.test("the responder gives up when req1 is not within 512 bytes of padding", async () => {
  const [a, b] = duplexPair();
  const responding = respondMse(b, { infoHashes: [INFO_HASH] });
  rawInitiator(a, { infoHash: INFO_HASH, provide: CRYPTO_RC4, padA: 513 }).catch(() => {});
  await assert.rejects(() => withTimeout(responding, 5000, "responder"), /no sync marker/);
});
