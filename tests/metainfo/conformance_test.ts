/**
 * libtorrent's own test torrents, each loaded by our parser and compared with what libtorrent
 * 2.0.8 made of it (expected.json, see ../shared/conformance/README.md).
 */
import assert from "node:assert/strict";
import { MetainfoError } from "../../src/metainfo/metainfo_error.ts";
import { parseMetainfo } from "../../src/metainfo/parse_metainfo.ts";
import { isSafeRelativePath } from "../../src/metainfo/sanitize_path.ts";

const DIR = new URL("../../../shared/conformance/libtorrent-test-torrents/", import.meta.url);

interface Expected {
  readonly expect: "loads" | "error";
  readonly libtorrent_error?: string | null;
  readonly info_hash?: string;
  readonly total_size?: number;
  readonly piece_length?: number;
  readonly num_pieces?: number;
  readonly num_files?: number;
  /** The first paths libtorrent would write (may be cut short for long lists). */
  readonly libtorrent_paths?: string[];
  readonly pad_files?: string[];
}

async function loadExpected(): Promise<Record<string, Expected> | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(new URL("expected.json", DIR)));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

const expected = await loadExpected();
if (!expected) {
  console.warn(`SKIPPED: conformance data not found at ${DIR.pathname}`);
}

Deno.test({
  name: "conformance: libtorrent test torrents load or fail like libtorrent",
  ignore: !expected,
  async fn() {
    let loads = 0;
    let errors = 0;
    let pathsCompared = 0;
    let pathsMatching = 0;
    const mismatches: string[] = [];
    for (const [file, want] of Object.entries(expected!)) {
      const bytes = await Deno.readFile(new URL(file, DIR));
      if (want.expect === "error") {
        await assert.rejects(
          parseMetainfo(bytes, { windows: false }),
          (e: unknown) => {
            assert.ok(e instanceof MetainfoError, `${file}: expected MetainfoError, got ${e}`);
            assert.ok(e.message.length > 0 && !/[\r\n]/.test(e.message), `${file}: one line`);
            return true;
          },
          `${file} must be refused (libtorrent: ${want.libtorrent_error})`,
        );
        errors++;
        continue;
      }
      const m = await parseMetainfo(bytes, { windows: false });
      assert.equal(m.infoHashHex, want.info_hash, `${file}: info-hash`);
      assert.equal(m.totalLength, want.total_size, `${file}: total size`);
      assert.equal(m.pieceLength, want.piece_length, `${file}: piece length`);
      assert.equal(m.pieceCount, want.num_pieces, `${file}: piece count`);
      assert.equal(m.files.length, want.num_files, `${file}: file count`);
      for (const f of m.files) {
        assert.ok(isSafeRelativePath(f.path, { windows: false }), `${file}: ${f.path.join("/")}`);
      }
      const ours = m.files.map((f) => f.path.join("/"));
      const theirs = want.libtorrent_paths!;
      theirs.forEach((path, i) => {
        pathsCompared++;
        if (ours[i] === path) pathsMatching++;
        else {mismatches.push(
            `${file}: ours ${JSON.stringify(ours[i])} libtorrent ${JSON.stringify(path)}`,
          );}
      });
      // Every path we would write equals libtorrent's. Pad files are never written: in hybrid
      // torrents libtorrent lists the v2 view (pads renamed .pad/N, placed before empty files),
      // we keep the v1 list, so only their names and places may differ.
      const pads = new Set(want.pad_files);
      const theirWritten = theirs.filter((p) => !pads.has(p));
      const ourWritten = m.files.filter((f) => !f.pad).map((f) => f.path.join("/"));
      assert.deepEqual(ourWritten.slice(0, theirWritten.length), theirWritten, `${file}: paths`);
      if (theirs.length === want.num_files) {
        assert.equal(m.files.filter((f) => f.pad).length, pads.size, `${file}: pad files`);
      }
      loads++;
    }
    console.log(
      `conformance: ${loads} loaded like libtorrent, ${errors} refused like libtorrent; ` +
        `paths equal to libtorrent's: ${pathsMatching}/${pathsCompared}`,
    );
    for (const line of mismatches) console.log(`  path differs: ${line}`);
  },
});
