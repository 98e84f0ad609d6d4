/**
 * Hand-built MSE peers for tests: each speaks one side of the handshake from the primitives,
 * with knobs the real roles do not have (a wrong VC, lying length fields, arbitrary edits of
 * what it sends), so the real roles can be fed exactly the input a test wants.
 * @module
 */

import { concatBytes } from "../../../src/util/bytes.ts";
import { newPrivateKey, publicKey, sharedSecret } from "../../../src/wire/mse/diffie_hellman.ts";
import { writeAll } from "../../../src/util/write_all.ts";
import { type ByteChannel, HandshakeReader } from "../../../src/wire/mse/handshake_reader.ts";
import {
  obfuscatedSkey,
  req1Hash,
  req3Hash,
  streamCiphers,
} from "../../../src/wire/mse/key_derivation.ts";

/** How a raw peer deviates from the protocol. */
export interface RawOptions {
  readonly infoHash: Uint8Array;
  /** crypto_provide (initiator) or crypto_select (responder). */
  readonly provide: number;
  /** Padding after the public key. */
  readonly padA?: number;
  /** The 8 bytes sent as VC (zeros in the protocol). */
  readonly vc?: Uint8Array;
  /** The value written in the PadC / PadD length field (the padding sent is 0 bytes). */
  readonly padCField?: number;
  readonly ia?: Uint8Array;
  /** Stream bytes sent in the same write as the handshake (RC4-encrypted when `provide` is 2). */
  readonly after?: Uint8Array;
  /** Rewrites everything sent after the public key and its padding. */
  readonly edit?: (sent: Uint8Array) => Uint8Array;
}

/**
 * An MSE initiator built from the primitives; closes its end when done.
 * @example
 * ```ts
 * rawInitiator(channel, { infoHash, provide: 2, vc: new Uint8Array(8).fill(1) });
 * ```
 */
export async function rawInitiator(
  channel: ByteChannel & { close(): void },
  options: RawOptions,
): Promise<void> {
  try {
    const privateKey = newPrivateKey();
    await writeAll(
      channel,
      concatBytes([publicKey(privateKey), new Uint8Array(options.padA ?? 0)]),
    );
    const reader = new HandshakeReader(channel);
    const secret = sharedSecret(privateKey, await reader.exactly(96));
    const ciphers = await streamCiphers(secret, options.infoHash, "initiator");
    const ia = options.ia ?? new Uint8Array(0);
    const body = new Uint8Array(8 + 4 + 2 + 2 + ia.length);
    const view = new DataView(body.buffer);
    body.set(options.vc ?? new Uint8Array(8));
    view.setUint32(8, options.provide);
    view.setUint16(12, options.padCField ?? 0);
    view.setUint16(14, ia.length);
    body.set(ia, 16);
    ciphers.encrypt.apply(body);
    const after = options.after?.slice() ?? new Uint8Array(0);
    if (options.provide === 2) ciphers.encrypt.apply(after);
    const sent = concatBytes([
      await req1Hash(secret),
      await obfuscatedSkey(options.infoHash, await req3Hash(secret)),
      body,
      after,
    ]);
    await writeAll(channel, options.edit ? options.edit(sent) : sent);
  } finally {
    channel.close();
  }
}

/**
 * An MSE responder built from the primitives: it trusts the initiator's torrent, reads nothing
 * past the public key, answers, and closes its end.
 * @example
 * ```ts
 * rawResponder(channel, { infoHash, provide: 2 });
 * ```
 */
export async function rawResponder(
  channel: ByteChannel & { close(): void },
  options: RawOptions,
): Promise<void> {
  try {
    const reader = new HandshakeReader(channel);
    const theirs = await reader.exactly(96);
    const privateKey = newPrivateKey();
    const secret = sharedSecret(privateKey, theirs);
    const ciphers = await streamCiphers(secret, options.infoHash, "responder");
    const reply = new Uint8Array(8 + 4 + 2);
    reply.set(options.vc ?? new Uint8Array(8));
    new DataView(reply.buffer).setUint32(8, options.provide);
    new DataView(reply.buffer).setUint16(12, options.padCField ?? 0);
    ciphers.encrypt.apply(reply);
    await writeAll(
      channel,
      concatBytes([publicKey(privateKey), new Uint8Array(options.padA ?? 0)]),
    );
    await writeAll(channel, options.edit ? options.edit(reply) : reply);
  } finally {
    channel.close();
  }
}
