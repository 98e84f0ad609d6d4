/**
 * Interop with libtorrent 2.0 (python3-libtorrent): its extended handshake as captured on the
 * wire decodes as expected, and against a live libtorrent seed our codec and MetadataAssembler
 * fetch the info dict by ut_metadata and rebuild the torrent with the same info-hash.
 */
import assert from "node:assert/strict";
import {
  decodeExtendedHandshake,
  peerExtensionId,
} from "../../src/extension/extended_handshake.ts";
import { LOCAL_EXTENSION_IDS } from "../../src/extension/extension_ids.ts";
import { MetadataAssembler } from "../../src/extension/metadata_assembler.ts";
import { metainfoFromInfoDict } from "../../src/extension/metainfo_from_metadata.ts";
import { decodeMetadataMessage, encodeMetadataMessage } from "../../src/extension/ut_metadata.ts";
import {
  CAPTURED_HANDSHAKE,
  withLibtorrentExtensionSession,
} from "./libtorrent_extension_session.ts";

Deno.test("libtorrent's captured extended handshake decodes", async () => {
  const payload = await Deno.readFile(CAPTURED_HANDSHAKE);
  const h = decodeExtendedHandshake(payload);
  assert.deepEqual(h, {
    // libtorrent also lists upload_only (BEP 21) and share_mode as extension messages.
    m: {
      lt_donthave: 7,
      share_mode: 8,
      upload_only: 3,
      ut_holepunch: 4,
      ut_metadata: 2,
      ut_pex: 1,
    },
    metadataSize: 20076,
    reqq: 2000,
    uploadOnly: true,
    v: "bittorrent-ts-test-libtorrent",
    yourIp: "127.0.0.1",
  });
  assert.equal(peerExtensionId(h, "ut_metadata"), 2);
  assert.equal(peerExtensionId(h, "ut_pex"), 1);
});

Deno.test("live libtorrent seed: handshake decodes and its metadata is fetched and verified", async () => {
  await withLibtorrentExtensionSession(
    async ({ metainfo, peer, handshakePayload, nextExtended }) => {
      const h = decodeExtendedHandshake(handshakePayload);
      assert.equal(h.metadataSize, metainfo.infoBytes.length);
      assert.ok((h.reqq ?? 0) > 0, "reqq");
      assert.ok(h.v, "client name");
      const pexId = peerExtensionId(h, "ut_pex");
      const metadataId = peerExtensionId(h, "ut_metadata");
      assert.ok(pexId !== undefined && metadataId !== undefined, JSON.stringify(h.m));

      const assembler = new MetadataAssembler(metainfo.infoHash);
      assert.equal(assembler.setSize("lt", h.metadataSize!), "accepted");
      assert.equal(assembler.pieceCount, 2);
      const ask = async () => {
        for (let p; (p = assembler.nextRequest("lt")) !== undefined;) {
          const payload = encodeMetadataMessage({ type: "request", piece: p });
          await peer.send([{ type: "extended", id: metadataId, payload }]);
        }
      };
      await ask();
      let infoBytes: Uint8Array | undefined;
      while (!infoBytes) {
        const { id, payload } = await nextExtended(10_000);
        if (id !== LOCAL_EXTENSION_IDS.ut_metadata) continue;
        const message = decodeMetadataMessage(payload);
        assert.equal(message?.type, "data");
        if (message?.type !== "data") return;
        const outcome = await assembler.onData(
          "lt",
          message.piece,
          message.totalSize,
          message.data,
        );
        if (outcome.status === "complete") infoBytes = outcome.infoBytes;
        else assert.equal(outcome.status, "stored");
      }
      const rebuilt = await metainfoFromInfoDict(infoBytes, [["http://127.0.0.1:1/announce"]]);
      assert.equal(rebuilt.metainfo.infoHashHex, metainfo.infoHashHex);
      assert.deepEqual(rebuilt.metainfo.files, metainfo.files);

      // A piece beyond the metadata is rejected by libtorrent, and our decoder reads the reject.
      await peer.send([{
        type: "extended",
        id: metadataId,
        payload: encodeMetadataMessage({ type: "request", piece: 7 }),
      }]);
      for (;;) {
        const { id, payload } = await nextExtended(10_000);
        if (id !== LOCAL_EXTENSION_IDS.ut_metadata) continue;
        assert.deepEqual(decodeMetadataMessage(payload), { type: "reject", piece: 7 });
        break;
      }
    },
  );
});
