/**
 * The iterative Kademlia lookup of BEP 5: ask the closest known nodes about a target, learn of
 * closer ones from their replies, ask those, and stop when the {@link K} closest nodes heard of
 * have all answered. At most `alpha` queries are in flight. The network is a function passed in,
 * so the algorithm is tested without sockets.
 * @module
 */

import type { PeerAddress } from "../tracker/types.ts";
import type { CompactNode, KrpcResponse } from "./krpc.ts";
import { compareDistance } from "./node_id.ts";
import { K } from "./routing_table.ts";

/** Queries in flight at once (Kademlia's alpha). */
export const ALPHA = 3;
/** Candidates remembered beyond the K closest, so failures do not starve the lookup. */
const MAX_CANDIDATES = 4 * K;

/** How a lookup runs. */
export interface LookupOptions {
  /** The info hash (get_peers) or node id (find_node) sought. */
  readonly target: Uint8Array;
  /** Where to start: the routing table's closest nodes. */
  readonly start: readonly CompactNode[];
  /** Sends one query; rejects when the node does not answer. */
  readonly query: (node: CompactNode, signal: AbortSignal) => Promise<KrpcResponse>;
  /** Called with the peers of each reply that has some (get_peers). */
  readonly onPeers?: (peers: readonly PeerAddress[], from: CompactNode) => void;
  /** Nodes never to ask, such as ourselves when a reply lists us. */
  readonly skip?: (node: CompactNode) => boolean;
  /** Called for each node that answered, e.g. to add it to the routing table. */
  readonly onResponse?: (node: CompactNode) => void;
  /** Called for each node that did not answer. */
  readonly onFailure?: (node: CompactNode) => void;
  /** Ends the lookup early; it then resolves with what it has. */
  readonly signal?: AbortSignal;
  readonly alpha?: number;
}

/** A node that answered, with the token it gave (get_peers). */
export interface LookupHit {
  readonly node: CompactNode;
  readonly token?: Uint8Array;
}

/** What a finished lookup learned. */
export interface LookupResult {
  /** Up to {@link K} answering nodes closest to the target, closest first. */
  readonly closest: readonly LookupHit[];
  readonly queried: number;
  readonly answered: number;
  /** False when the signal ended it before it converged. */
  readonly converged: boolean;
}

type State = "new" | "asking" | "answered" | "failed";

interface Candidate {
  node: CompactNode;
  state: State;
  token?: Uint8Array;
}

/**
 * Runs one lookup to convergence (or until `signal` aborts).
 * @example
 * ```ts
 * const result = await iterativeLookup({
 *   target: infoHash,
 *   start: table.closest(infoHash, 8),
 *   query: (node, signal) => socket.query(node, { method: "get_peers", id, infoHash }, signal),
 *   onPeers: (peers) => console.log(peers),
 * });
 * ```
 */
export async function iterativeLookup(options: LookupOptions): Promise<LookupResult> {
  const { target, signal } = options;
  const alpha = options.alpha ?? ALPHA;
  const inner = new AbortController();
  let candidates: Candidate[] = [];
  const seen = new Set<string>();
  let queried = 0;
  let answered = 0;
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const onAbort = () => inner.abort();
  signal?.addEventListener("abort", onAbort, { once: true });
  if (signal?.aborted) inner.abort();
  inner.signal.addEventListener("abort", () => wake?.(), { once: true });

  const learn = (node: CompactNode) => {
    const key = `${node.host}:${node.port}`;
    if (seen.has(key) || options.skip?.(node)) return;
    seen.add(key);
    candidates.push({ node, state: "new" });
  };
  const ask = (candidate: Candidate) => {
    candidate.state = "asking";
    inFlight++;
    queried++;
    options.query(candidate.node, inner.signal).then(
      (response) => {
        candidate.state = "answered";
        candidate.token = response.token;
        answered++;
        options.onResponse?.(candidate.node);
        if (response.values?.length) options.onPeers?.(response.values, candidate.node);
        for (const node of response.nodes ?? []) learn(node);
      },
      () => {
        candidate.state = "failed";
        if (!inner.signal.aborted) options.onFailure?.(candidate.node);
      },
    ).finally(() => {
      inFlight--;
      wake?.();
    });
  };

  try {
    for (const node of options.start) learn(node);
    while (!inner.signal.aborted) {
      candidates = candidates
        .filter((c) => c.state !== "failed")
        .sort((a, b) => compareDistance(target, a.node.id, b.node.id))
        .slice(0, MAX_CANDIDATES);
      const closest = candidates.slice(0, K);
      if (closest.every((c) => c.state === "answered")) break;
      for (const c of closest) {
        if (inFlight >= alpha) break;
        if (c.state === "new") ask(c);
      }
      if (inFlight === 0) break; // nothing left to ask and nothing to wait for
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    inner.abort();
  }
  return {
    closest: candidates
      .filter((c) => c.state === "answered")
      .slice(0, K)
      .map((c) => ({ node: c.node, token: c.token })),
    queried,
    answered,
    converged: !signal?.aborted,
  };
}
