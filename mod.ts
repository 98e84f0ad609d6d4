/**
 * bittorrent-ts: `deno run -A mod.ts --help`.
 * @module
 */

import { main } from "./src/cli/main.ts";
import { relaunchWithHeapFlags, runsTransfer } from "./src/cli/relaunch.ts";

if (import.meta.main) {
  // A transfer runs with V8's heap sized for it (see relaunch.ts); other commands are short.
  if (runsTransfer(Deno.args)) relaunchWithHeapFlags();
  Deno.exit(await main(Deno.args));
}
