/**
 * One ffmpeg or ffprobe child process: spawned without a shell, stderr kept (its tail explains
 * failures), stopped by its PID (SIGTERM, then SIGKILL).
 * @module
 */

/** How a process ended. */
export interface ProcessExit {
  readonly code: number;
  readonly signal: Deno.Signal | null;
  /** Last lines ffmpeg printed on stderr (it runs with `-loglevel error`). */
  readonly stderr: string;
}

/** A running ffmpeg/ffprobe. */
export interface MediaProcess {
  readonly pid: number;
  /** stdout, when spawned with `stdout: "piped"`. */
  readonly stdout: ReadableStream<Uint8Array> | null;
  /** Settles when the process has exited and its stderr is drained. */
  readonly exited: Promise<ProcessExit>;
  /** Whether {@linkcode MediaProcess.stop} was called. */
  readonly stopping: boolean;
  /** SIGTERM by PID, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<ProcessExit>;
}

const STDERR_TAIL_BYTES = 4096;

/**
 * Spawns `program` with `args` (no shell, stdin closed).
 * @example
 * ```ts
 * const p = spawnMediaProcess("/usr/bin/ffprobe", ["-version"], "piped");
 * await new Response(p.stdout).text();
 * (await p.exited).code; // 0
 * ```
 */
export function spawnMediaProcess(
  program: string,
  args: readonly string[],
  stdout: "piped" | "null",
): MediaProcess {
  const child = new Deno.Command(program, {
    args: [...args],
    stdin: "null",
    stdout,
    stderr: "piped",
  }).spawn();
  const tail = collectTail(child.stderr);
  let stopping = false;
  // Once reaped, the PID may belong to another process: never signal it again.
  let reaped = false;
  const status = child.status.then((s) => {
    reaped = true;
    return s;
  });
  const exited = Promise.all([status, tail]).then(([status, stderr]) => {
    return { code: status.code, signal: status.signal, stderr: stderr.trim() };
  });
  return {
    pid: child.pid,
    stdout: stdout === "piped" ? child.stdout : null,
    exited,
    get stopping() {
      return stopping;
    },
    async stop(graceMs = 2000) {
      stopping = true;
      const kill = (name: Deno.Signal) => {
        if (!reaped) signal(child.pid, name);
      };
      if (!reaped) {
        kill("SIGTERM");
        const timer = setTimeout(() => kill("SIGKILL"), graceMs);
        try {
          await exited;
        } finally {
          clearTimeout(timer);
        }
      }
      return await exited;
    },
  };
}

function signal(pid: number, name: Deno.Signal): void {
  try {
    Deno.kill(pid, name);
  } catch {
    // Already exited and reaped: nothing to stop.
  }
}

async function collectTail(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream) {
    text += decoder.decode(chunk, { stream: true });
    if (text.length > 2 * STDERR_TAIL_BYTES) text = text.slice(-STDERR_TAIL_BYTES);
  }
  return (text + decoder.decode()).slice(-STDERR_TAIL_BYTES);
}

/**
 * The last non-empty line of ffmpeg's stderr, for one-line error messages.
 * @example
 * ```ts
 * lastLine("a\nhttp://x: Invalid data found when processing input\n"); // "http://x: Invalid data…"
 * ```
 */
export function lastLine(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return lines.at(-1) ?? "no message";
}
