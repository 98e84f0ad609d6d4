/**
 * Who is in the demo swarm: which pieces each of our seeders starts with and how fast it may
 * upload, so the download takes about the time asked for and the piece map has something to
 * show. Pure: no I/O.
 * @module
 */

import { Bitfield } from "../util/bitfield.ts";

/** One peer of the demo swarm (besides the downloader). */
export interface PeerPlan {
  /** For the plain output, e.g. "full seeder" or "partial peer (52%)". */
  readonly label: string;
  /** The pieces it starts with. */
  readonly pieces: Bitfield;
  /** Bytes per second it may upload. */
  readonly uploadRate: number;
}

/** What the plan is made for. */
export interface SwarmPlanInput {
  readonly pieceCount: number;
  readonly totalBytes: number;
  /** About how long the download should take. */
  readonly seconds: number;
  /** Picks the partial peers' pieces; the same seed gives the same plan. */
  readonly seed: number;
}

/**
 * Share of the aggregate upload each peer gets: two full seeders, then a partial peer holding a
 * leading run of pieces (someone who stopped half-way) and one holding scattered runs.
 */
const FULL_WEIGHTS = [1, 0.75];
const PARTIAL_WEIGHTS = [0.6, 0.45];

/**
 * Plans the swarm: two seeders with every piece, a partial peer with the first ~55% of the
 * pieces and one with scattered runs covering ~40%, upload rates set so the whole download
 * takes about `seconds`.
 * @example
 * ```ts
 * const plan = planSwarm({ pieceCount: 800, totalBytes: 209715200, seconds: 40, seed: 1 });
 * plan.length; // 4
 * ```
 */
export function planSwarm(input: SwarmPlanInput): PeerPlan[] {
  const { pieceCount, totalBytes, seconds } = input;
  if (pieceCount < 1 || totalBytes < 1 || !(seconds > 0)) {
    throw new RangeError(`cannot plan a swarm for ${pieceCount} pieces in ${seconds} s`);
  }
  const weights = [...FULL_WEIGHTS, ...PARTIAL_WEIGHTS];
  const sum = weights.reduce((a, b) => a + b, 0);
  // The swarm delivers about the sum of the rates: rarest-first takes the pieces only the full
  // seeders have from them early, so the partial peers have useful pieces almost to the end
  // (timed: 200 MiB planned for 40 s takes 40-42 s). At least a block a second each.
  const rate = (w: number) => Math.max(16384, Math.round((totalBytes * w) / (seconds * sum)));

  const leading = new Bitfield(pieceCount);
  for (let i = 0; i < Math.round(pieceCount * 0.55); i++) leading.set(i);
  const scattered = scatteredRuns(pieceCount, 0.4, input.seed);

  const full = FULL_WEIGHTS.map((w) => ({
    label: "full seeder",
    pieces: Bitfield.full(pieceCount),
    uploadRate: rate(w),
  }));
  const partial = [leading, scattered].map((pieces, i) => ({
    label: `partial peer (${Math.round((pieces.count / pieceCount) * 100)}%)`,
    pieces,
    uploadRate: rate(PARTIAL_WEIGHTS[i]),
  }));
  return [...full, ...partial];
}

/**
 * About `share` of the pieces, in runs of 1 to 16, chosen by a seeded generator (mulberry32),
 * never all of them and never none.
 */
function scatteredRuns(pieceCount: number, share: number, seed: number): Bitfield {
  const bits = new Bitfield(pieceCount);
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  for (let at = 0; at < pieceCount;) {
    const run = 1 + Math.floor(random() * 16);
    if (random() < share) { for (let i = at; i < Math.min(pieceCount, at + run); i++) bits.set(i); }
    at += run;
  }
  if (bits.count === 0) bits.set(pieceCount - 1);
  if (bits.complete && pieceCount > 1) return scatteredRuns(pieceCount, share, seed + 1);
  return bits;
}
