/**
 * bittorrent-ts: `deno run -A mod.ts --help`.
 * @module
 */

import { main } from "./src/cli/main.ts";

if (import.meta.main) Deno.exit(await main(Deno.args));
