/**
 * Our client seeds (`mod.ts seed`) a torrent made by `mod.ts create`; aria2, libtorrent and
 * Transmission each download it from us, byte-identical.
 */
import assert from "node:assert/strict";
import { startAria2 } from "../support/aria2.ts";
import { startLibtorrent } from "../support/libtorrent.ts";
import { startOpentracker } from "../support/opentracker.ts";
import { listeningPort, runOurClient, startOurClient, totals } from "../support/our_client.ts";
import { makePayload, multiFileSpec, sameTree } from "../support/payload.ts";
import type { TrackedProcess } from "../support/process.ts";
import { startTransmission } from "../support/transmission.ts";

interface Fixture {
  dir: string;
  root: string;
  torrent: string;
  infoHashHex: string;
  trackerUrl: string;
  waitForPeer: (port: number) => Promise<void>;
  close: () => Promise<void>;
}

/** A payload, a torrent of it made by our `create` command, and an opentracker serving it. */
async function fixture(name: string): Promise<Fixture> {
  const dir = await Deno.makeTempDir();
  const payload = await makePayload(`${dir}/seed`, multiFileSpec(name, 2, 31));
  // The info-hash does not depend on the announce URL: make the torrent twice, before and after
  // the tracker (which must whitelist the hash up front) exists.
  const probe = `${dir}/probe.torrent`;
  const made = await runOurClient(
    ["create", payload.root, "-o", probe, "--piece-length", "32768"],
    30_000,
  );
  assert.equal(made.code, 0, made.output);
  const infoHashHex = /info-hash ([0-9a-f]{40})/.exec(made.output)![1];
  const tracker = await startOpentracker([infoHashHex]);
  const torrent = `${dir}/${name}.torrent`;
  const again = await runOurClient(
    [
      "create",
      payload.root,
      "-o",
      torrent,
      "--piece-length",
      "32768",
      "--tracker",
      tracker.httpUrl,
    ],
    30_000,
  );
  assert.equal(again.code, 0, again.output);
  return {
    dir,
    root: payload.root,
    torrent,
    infoHashHex,
    trackerUrl: tracker.httpUrl,
    waitForPeer: (port) => tracker.waitForPeer(infoHashHex, port, 15_000),
    close: async () => {
      await tracker.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function startOurSeed(f: Fixture): Promise<{ client: TrackedProcess; port: number }> {
  const client = startOurClient([
    "seed",
    f.torrent,
    "--dir",
    `${f.dir}/seed`,
    "--port",
    "0",
    "--no-tui",
  ]);
  return { client, port: await listeningPort(client, 20_000) };
}

Deno.test("aria2 downloads from our seed, found through opentracker", async () => {
  const f = await fixture("for-aria2");
  try {
    const seed = await startOurSeed(f);
    try {
      await f.waitForPeer(seed.port);
      const leech = await startAria2({ torrent: f.torrent, dir: `${f.dir}/aria2`, mode: "leech" });
      try {
        await leech.waitForDone(30_000);
      } catch (e) {
        console.log(seed.client.output());
        throw e;
      } finally {
        await leech.stop();
      }
      await sameTree(f.root, `${f.dir}/aria2/for-aria2`);
    } finally {
      await seed.client.stop();
    }
    assert.match(seed.client.output(), /seeding/);
  } finally {
    await f.close();
  }
});

Deno.test("libtorrent downloads from our seed; our upload counter matches what it received", async () => {
  const f = await fixture("for-libtorrent");
  try {
    const seed = await startOurSeed(f);
    let received = 0;
    try {
      const leech = await startLibtorrent({
        torrent: f.torrent,
        dir: `${f.dir}/lt`,
        mode: "leech",
        peers: [`127.0.0.1:${seed.port}`],
      });
      try {
        await leech.waitForDone(30_000);
        received = (await leech.stats()).downloaded;
      } finally {
        await leech.stop();
      }
      await sameTree(f.root, `${f.dir}/lt/for-libtorrent`);
    } finally {
      await seed.client.stop();
    }
    const ours = totals(seed.client.output());
    assert.ok(received > 0);
    assert.equal(ours.uploaded, received, seed.client.output());
  } finally {
    await f.close();
  }
});

Deno.test("Transmission downloads from our seed (we dial it, as it ignores loopback tracker peers)", async () => {
  const f = await fixture("for-transmission");
  try {
    await Deno.mkdir(`${f.dir}/tr`);
    const leech = await startTransmission({
      torrent: f.torrent,
      dir: `${f.dir}/tr`,
      mode: "leech",
    });
    try {
      await f.waitForPeer(leech.peerPort);
      const seed = await startOurSeed(f);
      try {
        await leech.waitForDone(60_000);
      } finally {
        await seed.client.stop();
      }
      await sameTree(f.root, `${f.dir}/tr/for-transmission`, { ignoreMissingEmptyFiles: true });
    } finally {
      await leech.stop();
    }
  } finally {
    await f.close();
  }
});
