/**
 * Turns a lookup that reports peers through a callback into an async iterable of distinct
 * peers, so callers can `for await` over peers as replies bring them and stop whenever they like.
 * @module
 */

import type { PeerAddress } from "../tracker/types.ts";

/**
 * Runs `run`, yielding each distinct peer it emits (at most `max`), and ends when `run` settles.
 * When the consumer stops early or `signal` aborts, the signal handed to `run` aborts and the
 * iterable ends once `run` has settled. A rejection of `run` just ends the stream.
 * @example
 * ```ts
 * const peers = distinctPeers((emit, signal) => lookup(infoHash, emit, signal), { max: 2000 });
 * for await (const peer of peers) console.log(peer.host, peer.port);
 * ```
 */
export async function* distinctPeers(
  run: (emit: (peers: readonly PeerAddress[]) => void, signal: AbortSignal) => Promise<unknown>,
  options: { readonly max: number; readonly signal?: AbortSignal },
): AsyncGenerator<PeerAddress> {
  const { max, signal } = options;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) stop.abort();
  const queue: PeerAddress[] = [];
  const seen = new Set<string>();
  let wake: (() => void) | undefined;
  let done = false;
  const emit = (peers: readonly PeerAddress[]) => {
    for (const peer of peers) {
      const key = `${peer.host}:${peer.port}`;
      if (seen.has(key) || seen.size >= max) continue;
      seen.add(key);
      queue.push(peer);
    }
    wake?.();
  };
  const running = run(emit, stop.signal).catch(() => undefined).finally(() => {
    done = true;
    wake?.();
  });
  try {
    for (;;) {
      while (queue.length > 0) yield queue.shift()!;
      if (done) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    stop.abort();
    await running;
  }
}
