/**
 * A scriptable peer built from our own wire codec, for what no real client will do on demand:
 * send corrupt blocks, absurd length prefixes, or go silent. Real-client interop lives in the
 * interop tests; this is only for hostile and broken behaviour.
 * @module
 */

import { startFakeListener } from "./fake_listener.ts";
import { Bitfield } from "../../src/util/bitfield.ts";
import { encodeHandshake } from "../../src/wire/handshake.ts";
import { MessageDecoderStream, type WireFrame } from "../../src/wire/message_streams.ts";
import { encodeMessages } from "../../src/wire/messages.ts";
import type { SyntheticTorrent } from "./synthetic_torrent.ts";

/** How the fake seeder misbehaves. */
export interface FakeSeederBehaviour {
  /** Returns the block to send; change it to send corrupt data. */
  readonly tamper?: (index: number, begin: number, block: Uint8Array) => Uint8Array;
  /** Right after the handshake, send a length prefix of 2 GiB and then garbage. */
  readonly hugeLengthPrefix?: boolean;
  /**
   * Answer requests in bursts: hold them this long after the first of a burst arrives, then
   * serve them all. Each burst's size shows how many requests the client keeps in flight.
   */
  readonly holdMs?: number;
}

/** A running fake seeder. */
export interface FakeSeeder {
  readonly port: number;
  /** Blocks served so far. */
  served(): number;
  /** Connections accepted so far. */
  connections(): number;
  /** With `holdMs`: each burst served, its size and when it began (ms, `performance.now()`). */
  bursts(): readonly { readonly at: number; readonly requests: number }[];
  close(): Promise<void>;
}

/**
 * Serves `torrent`'s content to whoever connects, misbehaving as told.
 * @example
 * ```ts
 * const seeder = startFakeSeeder(torrent, { tamper: (i, b, block) => block.map(() => 0) });
 * await seeder.close();
 * ```
 */
export function startFakeSeeder(
  torrent: SyntheticTorrent,
  behaviour: FakeSeederBehaviour = {},
): FakeSeeder {
  const { metainfo, content } = torrent;
  let served = 0;
  const bursts: { at: number; requests: number }[] = [];
  const serve = async (conn: Deno.Conn) => {
    const writer = conn.writable.getWriter();
    let held: Extract<WireFrame, { type: "request" }>[] | undefined;
    const answer = async (frame: Extract<WireFrame, { type: "request" }>) => {
      const start = frame.index * metainfo.pieceLength + frame.begin;
      let block: Uint8Array = content.slice(start, start + frame.length);
      if (behaviour.tamper) block = behaviour.tamper(frame.index, frame.begin, block);
      served++;
      await writer.write(
        encodeMessages([{ type: "piece", index: frame.index, begin: frame.begin, block }]),
      );
    };
    const frames = conn.readable.pipeThrough(new MessageDecoderStream({ handshake: true }));
    try {
      for await (const frame of frames as AsyncIterable<WireFrame>) {
        if (frame.type === "handshake") {
          await writer.write(encodeHandshake({
            infoHash: metainfo.infoHash,
            peerId: new TextEncoder().encode("-FK0001-fakefakefake"),
            features: { extended: false, fast: false, dht: false },
          }));
          if (behaviour.hugeLengthPrefix) {
            await writer.write(new Uint8Array([0x80, 0, 0, 0, 7, 1, 2, 3]));
            continue;
          }
          const bits = Bitfield.full(metainfo.pieceCount);
          await writer.write(
            encodeMessages([{ type: "bitfield", bitfield: bits.bytes }, { type: "unchoke" }]),
          );
        } else if (frame.type === "request" && behaviour.holdMs === undefined) {
          await answer(frame);
        } else if (frame.type === "request") {
          if (held) {
            held.push(frame);
            continue;
          }
          held = [frame];
          const burst = { at: performance.now(), requests: 0 };
          setTimeout(async () => {
            const batch = held!;
            held = undefined;
            burst.requests = batch.length;
            bursts.push(burst);
            try {
              for (const f of batch) await answer(f);
            } catch { /* hung up */ }
          }, behaviour.holdMs);
        }
      }
    } catch {
      // The client hung up on us: expected for a hostile peer.
    }
  };
  const fake = startFakeListener(serve);
  return { ...fake, served: () => served, bursts: () => bursts };
}
