/**
 * How much of a file is in the page cache, for tests of writes that should bypass it.
 * @module
 */

/**
 * Bytes of `path` resident in the page cache, by util-linux's fincore(1).
 * @example
 * ```ts
 * const bytes = await cachedBytes("/tmp/data.bin");
 * ```
 */
export async function cachedBytes(path: string): Promise<number> {
  const out = await new Deno.Command("fincore", {
    args: ["--bytes", "--noheadings", "--output", "RES", path],
  }).output();
  if (!out.success) throw new Error(`fincore ${path}: ${new TextDecoder().decode(out.stderr)}`);
  return Number(new TextDecoder().decode(out.stdout).trim());
}
