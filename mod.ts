/**
 * bittorrent-ts: `deno run -A mod.ts --help`.
 * @module
 */

import { relaunchWithHeapFlags, runsTransfer } from "./src/cli/relaunch.ts";

if (import.meta.main) {
  // A transfer runs with V8's heap sized for it (see relaunch.ts); other commands are short.
  // The client itself is imported after that decision, so a relaunch only ever loaded the few
  // modules above, not the whole client twice.
  if (runsTransfer(Deno.args)) relaunchWithHeapFlags();
  const { main } = await import("./src/cli/main.ts");
  Deno.exit(await main(Deno.args));
}
