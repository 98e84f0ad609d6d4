/**
 * Peer exchange (BEP 11) for one torrent: tells each peer that speaks ut_pex which peers we are
 * connected to, at most once a minute, as additions and removals since the last message.
 * @module
 */

import { NO_PEX_FLAGS, type PexPeer, PexState } from "../extension/ut_pex.ts";
import type { PeerAddress } from "../tracker/types.ts";
import type { PeerSession } from "./peer_session.ts";

/**
 * PEX state of all of a torrent's sessions.
 * @example
 * ```ts
 * const pex = new PexExchange();
 * pex.send(torrent.sessions.values(), (s) => listenAddress(s)); // once a second
 * ```
 */
export class PexExchange {
  readonly #states = new Map<number, PexState>();

  /** Sends each ut_pex peer what changed, when its minute is up. */
  send(
    sessions: Iterable<PeerSession>,
    listenAddress: (session: PeerSession) => PeerAddress | undefined,
  ): void {
    const all = [...sessions];
    const known = all.flatMap((s) => {
      const address = listenAddress(s);
      if (!address) return [];
      const peer: PexPeer = {
        ...address,
        flags: {
          ...NO_PEX_FLAGS,
          seed: s.has.complete,
          outgoing: !s.conn.incoming,
          prefersEncryption: s.ext.remote?.prefersEncryption ?? false,
        },
      };
      return [{ session: s, peer }];
    });
    for (const s of all) {
      if (!s.ext.supports("ut_pex")) continue;
      let state = this.#states.get(s.key);
      if (!state) this.#states.set(s.key, state = new PexState());
      const message = state.next(known.filter((k) => k.session !== s).map((k) => k.peer));
      const wire = message && s.ext.pexMessage(message);
      if (wire) s.send(wire);
    }
  }

  /** Forgets a closed session. */
  forget(session: PeerSession): void {
    this.#states.delete(session.key);
  }
}
