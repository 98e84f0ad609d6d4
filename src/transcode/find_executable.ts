/**
 * Looking up a program the way a shell would, without running it: ffmpeg is optional, and its
 * absence must be known before any request (to answer 501 rather than fail later).
 * @module
 */

/**
 * The path of executable `name`: `name` itself if it contains a `/`, else the first match in the
 * colon-separated `searchPath` (empty entries, which would mean the working folder, are skipped).
 * `undefined` if there is none.
 * @example
 * ```ts
 * findExecutable("sh", "/usr/bin:/bin"); // "/usr/bin/sh"
 * findExecutable("ffmpeg", ""); // undefined
 * ```
 */
export function findExecutable(
  name: string,
  searchPath: string = Deno.env.get("PATH") ?? "",
): string | undefined {
  const candidates = name.includes("/")
    ? [name]
    : searchPath.split(":").filter((dir) => dir !== "").map((dir) => `${dir}/${name}`);
  return candidates.find((path) => {
    try {
      const info = Deno.statSync(path);
      return info.isFile && ((info.mode ?? 0) & 0o111) !== 0;
    } catch {
      return false;
    }
  });
}
