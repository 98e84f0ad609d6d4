/**
 * Test helpers for processes and sockets: free ports, tracked child processes that are always
 * stopped by PID, and bounded waiting. Every test that starts a process uses these.
 * @module
 */

/**
 * A free TCP port on 127.0.0.1 (bound to port 0, then released).
 * @example
 * ```ts
 * const port = freePort();
 * ```
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A child process that a test started; `stop()` kills it by PID and waits for it. */
export interface TrackedProcess {
  readonly pid: number;
  readonly child: Deno.ChildProcess;
  /** Output so far (stdout and stderr interleaved), for assertions and failure messages. */
  output(): string;
  /** Kills the process (SIGTERM, then SIGKILL after `graceMs`) and waits for it to exit. */
  stop(graceMs?: number): Promise<Deno.CommandStatus>;
}

/**
 * Spawns a command with piped output collected in memory, tracked so `stop()` always ends it.
 * @example
 * ```ts
 * const p = spawnTracked("sleep", ["10"]);
 * await p.stop();
 * ```
 */
export function spawnTracked(
  cmd: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: "piped" | "null" } = {},
): TrackedProcess {
  const child = new Deno.Command(cmd, {
    args,
    cwd: options.cwd,
    env: options.env,
    stdin: options.stdin ?? "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      text += decoder.decode(chunk, { stream: true });
      if (text.length > 1_000_000) text = text.slice(-500_000);
    }
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]).catch(() => {});
  let exited: Deno.CommandStatus | undefined;
  const status = child.status.then((s) => (exited = s));
  return {
    pid: child.pid,
    child,
    output: () => text,
    async stop(graceMs = 3000) {
      if (!exited) {
        try {
          child.kill("SIGTERM");
        } catch { /* already gone */ }
        const timer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch { /* already gone */ }
        }, graceMs);
        await status;
        clearTimeout(timer);
      }
      await drained;
      return await status;
    },
  };
}

/**
 * Polls `check` every `intervalMs` until it returns a truthy value, or throws after `timeoutMs`.
 * @example
 * ```ts
 * await waitFor(() => true, { timeoutMs: 1000, what: "nothing" });
 * ```
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  { timeoutMs, intervalMs = 50, what }: { timeoutMs: number; intervalMs?: number; what: string },
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Rejects with a clear message if `promise` does not settle within `ms`.
 * @example
 * ```ts
 * await withTimeout(Promise.resolve(1), 1000, "a resolved promise");
 * ```
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
