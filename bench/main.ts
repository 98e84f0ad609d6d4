/**
 * `deno task bench [--only download,tui] [--size MiB] [--out FILE]`: runs the benchmark
 * sections against real clients on this machine, prints a table per section on stdout
 * (progress goes to stderr) and writes every figure to bench/out/results.json.
 * @module
 */

import {
  BenchArgsError,
  DEFAULT_OUT,
  DEFAULT_ROUNDS,
  DEFAULT_SIZE_MIB,
  parseBenchArgs,
} from "./bench_args.ts";
import { PayloadCache } from "./bench_payloads.ts";
import { formatSection } from "./format_table.ts";
import type { BenchContext, SectionResult } from "./section.ts";
import { SECTIONS } from "./sections.ts";

/** The JSON file's shape. */
export interface BenchReport {
  readonly startedAt: string;
  readonly machine: {
    readonly cpus: number;
    readonly memoryMiB: number;
    readonly os: string;
    readonly deno: string;
    /** 1, 5 and 15 minute load averages at the start: other work on the machine skews figures. */
    readonly loadAverage: readonly number[];
  };
  /** The checkout measured: HEAD, and whether src/ had uncommitted changes. */
  readonly revision: { readonly commit: string; readonly srcDirty: boolean } | null;
  readonly sizeMiB: number;
  readonly rounds: number;
  /** Section name → its result, or the error that stopped it. */
  readonly sections: Record<string, SectionResult | { readonly error: string }>;
}

const HELP = `deno task bench [--only SECTION[,SECTION...]] [--size MiB] [--rounds N] [--out FILE]

  --only    run only these sections (default: all)
  --size    payload size in MiB for sections that move data (default ${DEFAULT_SIZE_MIB})
  --rounds  times each client is timed; tables show the median (default ${DEFAULT_ROUNDS})
  --out     where to write the JSON results (default ${DEFAULT_OUT})

sections:
${SECTIONS.map((s) => `  ${s.name.padEnd(10)} ${s.summary}`).join("\n")}`;

/**
 * Runs the benchmark with `argv` and resolves with the exit status (1 if a section failed,
 * 2 for a wrong command line).
 * @example
 * ```ts
 * Deno.exit(await runBench(["--only", "tui"]));
 * ```
 */
export async function runBench(argv: readonly string[]): Promise<number> {
  let args;
  try {
    args = parseBenchArgs(argv, SECTIONS.map((s) => s.name));
  } catch (error) {
    if (!(error instanceof BenchArgsError)) throw error;
    console.error(`error: ${error.message} (see --help)`);
    return 2;
  }
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  const selected = SECTIONS.filter((s) => args.only?.includes(s.name) ?? true);
  const workDir = await Deno.makeTempDir({ prefix: "bittorrent-ts-bench-" });
  const sections: Record<string, SectionResult | { readonly error: string }> = {};
  const context: BenchContext = {
    sizeMiB: args.sizeMiB,
    rounds: args.rounds,
    workDir,
    payloads: new PayloadCache(workDir),
    earlier: sections,
    log: (line) => console.error(`[bench] ${line}`),
  };
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    machine: {
      cpus: navigator.hardwareConcurrency,
      memoryMiB: Math.round(Deno.systemMemoryInfo().total / 2 ** 20),
      os: `${Deno.build.os} ${Deno.osRelease()}`,
      deno: Deno.version.deno,
      loadAverage: Deno.loadavg(),
    },
    revision: await gitRevision(),
    sizeMiB: args.sizeMiB,
    rounds: args.rounds,
    sections,
  };
  let failed = false;
  console.log(
    `${report.machine.cpus} CPUs, load average ${
      report.machine.loadAverage.map((l) => l.toFixed(2)).join(" ")
    } at start` +
      (report.revision ? `, HEAD ${report.revision.commit.slice(0, 8)}` : "") +
      (report.revision?.srcDirty ? " with uncommitted changes in src/" : "") + "\n",
  );
  try {
    for (const section of selected) {
      context.log(`section ${section.name}`);
      try {
        const result = await section.run(context);
        report.sections[section.name] = result;
        console.log(formatSection(result));
      } catch (error) {
        failed = true;
        const message = error instanceof Error ? error.message : String(error);
        report.sections[section.name] = { error: message };
        console.log(`== ${section.name}: FAILED ==\n${message}\n`);
      }
    }
  } finally {
    await Deno.remove(workDir, { recursive: true });
  }
  const outDir = args.out.includes("/") ? args.out.slice(0, args.out.lastIndexOf("/")) : ".";
  await Deno.mkdir(outDir, { recursive: true });
  await Deno.writeTextFile(args.out, JSON.stringify(report, null, 2) + "\n");
  context.log(`results written to ${args.out}`);
  return failed ? 1 : 0;
}

/** HEAD and whether src/ differs from it; null outside a git checkout. */
async function gitRevision(): Promise<BenchReport["revision"]> {
  const git = async (...args: string[]) => {
    const result = await new Deno.Command("git", { args, stdout: "piped", stderr: "null" })
      .output();
    if (!result.success) throw new Error(`git ${args.join(" ")} failed`);
    return new TextDecoder().decode(result.stdout).trim();
  };
  try {
    const commit = await git("rev-parse", "HEAD");
    const srcDirty = (await git("status", "--porcelain", "--", "src", "mod.ts")) !== "";
    return { commit, srcDirty };
  } catch {
    return null;
  }
}

if (import.meta.main) Deno.exit(await runBench(Deno.args));
