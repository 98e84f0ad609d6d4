/**
 * Starts Debian's opentracker for a test. Debian builds it in whitelist mode, so the info hashes a
 * test will announce must be listed up front.
 * @module
 */

import { buildAnnounceUrl } from "../../src/tracker/http_announce_url.ts";
import { parseHttpAnnounceReply } from "../../src/tracker/http_reply.ts";
import { fromHex } from "../../src/util/bytes.ts";
import { freePort, spawnTracked, type TrackedProcess, waitFor } from "./process.ts";

/** A running opentracker. */
export interface Opentracker {
  /** `http://127.0.0.1:PORT/announce` */
  readonly httpUrl: string;
  /** `udp://127.0.0.1:PORT/announce` */
  readonly udpUrl: string;
  /**
   * Waits until the tracker lists a peer on `port` for the torrent, so a client started next
   * surely hears of it in its first announce.
   */
  waitForPeer(infoHashHex: string, port: number, timeoutMs: number): Promise<void>;
  /** Stops the process by PID and removes its folder. */
  stop(): Promise<void>;
}

const BINARY = "/usr/bin/opentracker";

/**
 * Starts opentracker on free HTTP and UDP ports of 127.0.0.1, serving exactly `infoHashesHex`,
 * and waits until it accepts announces for them (its whitelist loads on a thread of its own).
 * @example
 * ```ts
 * const tracker = await startOpentracker([metainfo.infoHashHex]);
 * try {
 *   // announce to tracker.httpUrl or tracker.udpUrl
 * } finally {
 *   await tracker.stop();
 * }
 * ```
 */
export async function startOpentracker(infoHashesHex: string[]): Promise<Opentracker> {
  if (infoHashesHex.length === 0) throw new Error("opentracker needs at least one info hash");
  // opentracker chroots into (or, not root, changes to) this folder and reads the whitelist there.
  const dir = await Deno.makeTempDir({ prefix: "opentracker-" });
  await Deno.chmod(dir, 0o755);
  await Deno.writeTextFile(
    `${dir}/whitelist`,
    infoHashesHex.map((h) => h.toLowerCase()).join("\n") + "\n",
  );
  await Deno.chmod(`${dir}/whitelist`, 0o644);
  // One port number for TCP and UDP: a free TCP port's UDP twin is nearly always free too. Either
  // may be taken before opentracker binds it, which makes it exit: try again then.
  for (let attempt = 1;; attempt++) {
    const port = freePort();
    const args = [
      "-i",
      "127.0.0.1",
      "-p",
      `${port}`,
      "-P",
      `${port}`,
      "-d",
      dir,
      "-w",
      "whitelist",
    ];
    // As root it drops privileges to this user after the chroot; as anyone else it cannot.
    if (Deno.uid() === 0) args.push("-u", "nobody");
    const process = spawnTracked(BINARY, args);
    const httpUrl = `http://127.0.0.1:${port}/announce`;
    try {
      await waitUntilServing(process, httpUrl, infoHashesHex[0]);
    } catch (error) {
      await process.stop();
      if (attempt < 3) continue;
      await Deno.remove(dir, { recursive: true });
      throw new Error(
        `opentracker did not start: ${(error as Error).message}\n${process.output()}`,
      );
    }
    return {
      httpUrl,
      udpUrl: `udp://127.0.0.1:${port}/announce`,
      waitForPeer: (infoHashHex, peerPort, timeoutMs) =>
        waitForListedPeer(httpUrl, infoHashHex, peerPort, timeoutMs),
      async stop() {
        await process.stop();
        await Deno.remove(dir, { recursive: true });
      },
    };
  }
}

/**
 * Announces as a throwaway leecher until `port` is among the peers (opentracker lists no peers
 * in reply to `stopped`), then takes the throwaway peer out of the swarm again.
 */
async function waitForListedPeer(
  httpUrl: string,
  infoHashHex: string,
  port: number,
  timeoutMs: number,
): Promise<void> {
  const request = {
    infoHash: fromHex(infoHashHex),
    peerId: new TextEncoder().encode("-PROBE-0000000000001"),
    port: 1,
    uploaded: 0,
    downloaded: 0,
    left: 1,
    numWant: 200,
  };
  const announce = async (event?: "stopped") => {
    const response = await fetch(buildAnnounceUrl(httpUrl, { ...request, event }), {
      signal: AbortSignal.timeout(1000),
    });
    return parseHttpAnnounceReply(new Uint8Array(await response.arrayBuffer()));
  };
  try {
    await waitFor(async () => {
      try {
        return (await announce()).peers.some((p) => p.port === port);
      } catch {
        return false;
      }
    }, { timeoutMs, intervalMs: 100, what: `opentracker to list the peer on port ${port}` });
  } finally {
    await announce("stopped").catch(() => {});
  }
}

/** Polls with a `stopped` announce (which adds no peer) until one is accepted. */
async function waitUntilServing(process: TrackedProcess, httpUrl: string, infoHashHex: string) {
  let exited = false;
  process.child.status.then(() => (exited = true));
  const probe = buildAnnounceUrl(httpUrl, {
    infoHash: fromHex(infoHashHex),
    peerId: new TextEncoder().encode("-PROBE-0000000000000"),
    port: 1,
    uploaded: 0,
    downloaded: 0,
    left: 0,
    event: "stopped",
  });
  await waitFor(async () => {
    if (exited) throw new Error("opentracker exited");
    try {
      const response = await fetch(probe, { signal: AbortSignal.timeout(1000) });
      const body = await response.text();
      return response.ok && !body.includes("failure reason");
    } catch {
      return false;
    }
  }, { timeoutMs: 5000, intervalMs: 50, what: "opentracker to accept announces" });
}
