/**
 * One fast-check configuration for the whole properties suite, so a failure anywhere replays the same way.
 * `npm run test:props -- --seed S --path P --only NAME` sets the environment variables read here:
 *
 * - ELASTITWIN_FC_SEED: a seed (integer) to replay, or `random` for fresh seeds. Unset: each invariant runs
 *   with a fixed seed derived from its name, so the same commit always gets the same verdict in CI.
 * - ELASTITWIN_FC_PATH: fast-check's counterexample path (with the seed: replays exactly the shrunk case).
 * - ELASTITWIN_FC_RUNS: number of runs for every property (overrides each invariant's stated count).
 */
import fc from 'fast-check';

/** FNV-1a of a name: the default seed of a property (stable across runs, different per property). */
export function seedOf(name: string): number {
  let h = 2166136261;
  for (let k = 0; k < name.length; k++) h = Math.imul(h ^ name.charCodeAt(k), 16777619) >>> 0;
  return h | 0;
}

function envSeed(): number | 'random' | undefined {
  const s = process.env.ELASTITWIN_FC_SEED;
  if (s === undefined || s === '') return undefined;
  if (s === 'random') return 'random';
  if (!/^-?\d+$/.test(s)) throw new Error(`ELASTITWIN_FC_SEED must be an integer or "random", got "${s}"`);
  return Number(s);
}

/** Runs a property with this many runs unless ELASTITWIN_FC_RUNS overrides it. */
export function runsFor(stated: number): number {
  const r = process.env.ELASTITWIN_FC_RUNS;
  if (r === undefined || r === '') return stated;
  if (!/^\d+$/.test(r) || Number(r) < 1) throw new Error(`ELASTITWIN_FC_RUNS must be a positive integer, got "${r}"`);
  return Number(r);
}

/** fast-check parameters for the property `name` stated to run `runs` times. */
export function propertyConfig<T = unknown>(name: string, runs: number): fc.Parameters<T> {
  const seed = envSeed();
  const params: fc.Parameters<T> = { numRuns: runsFor(runs), includeErrorInReport: true };
  if (seed !== 'random') params.seed = seed ?? seedOf(name);
  const path = process.env.ELASTITWIN_FC_PATH;
  if (path) params.path = path;
  return params;
}

/** The command that replays a failure of property `name`. */
export function replayCommand(name: string, seed: number, path: string | null | undefined): string {
  return `npm run test:props -- --only ${name} --seed ${seed}${path ? ` --path "${path}"` : ''}`;
}

/**
 * Checks a property with the suite's configuration; on failure throws fast-check's report (shrunk
 * counterexample, seed, path) followed by the replay command.
 */
export async function assertProperty<T>(name: string, runs: number, property: fc.IRawProperty<T>): Promise<fc.RunDetails<T>> {
  const details = await fc.check(property, propertyConfig<T>(name, runs));
  if (details.failed) {
    const report = fc.defaultReportMessage(details) ?? 'property failed';
    throw new Error(`invariant "${name}" failed\n${report}\nreplay: ${replayCommand(name, details.seed, details.counterexamplePath)}`);
  }
  return details;
}
