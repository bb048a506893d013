/**
 * Goodput search (as DistServe defines goodput): per policy, the highest arrival rate at which at least a
 * target share of requests meets both its SLOs. SLO attainment falls as the rate rises, so the search first
 * brackets the answer (doubling or halving from the scenario's own rate) and then bisects the bracket until
 * it is narrower than the stated relative precision. Each rate is judged by the attainment averaged over
 * several seeds; the seeds are the same at every rate (common random numbers), which keeps the curve smooth.
 */
import { mean } from 'simple-statistics';
import { InputError } from '../../base/errors.ts';
import { policyEntries, type LoadedScenario, type Scenario } from '../scenario.ts';
import type { PolicyHeadline } from './table.ts';

/** Runs one scenario somewhere (the CLI's worker pool) and returns each policy's headline metrics. */
export interface ScenarioEvaluator {
  run(task: { kind: 'evaluate'; loaded: LoadedScenario }, what: string): Promise<PolicyHeadline[]>;
}

export interface SearchOptions {
  /** Share of requests that must meet their SLO (0 < target ≤ 1). */
  target: number;
  /** Stop when (hi − lo) ≤ precision × lo. */
  precision: number;
  /** How many doublings (halvings) to try when bracketing before giving up. */
  maxSteps?: number;
}

export type SearchStatus =
  /** lo meets the target, hi does not, and they are within the precision. */
  | 'found'
  /** Even lo × 2^maxSteps met the target: the goodput is at least `lo`. */
  | 'above-range'
  /** Even the start rate / 2^maxSteps missed the target: the goodput is below `hi` (effectively 0). */
  | 'below-range';

export interface SearchResult {
  status: SearchStatus;
  /** Highest rate seen meeting the target (0 when none did). */
  lo: number;
  /** Lowest rate seen missing it (null when none did). */
  hi: number | null;
  attainmentAtLo: number | null;
  attainmentAtHi: number | null;
  /** Every rate evaluated, in order, with its attainment. */
  evaluations: Array<{ ratePerMin: number; attainment: number }>;
}

/** Binary search for the highest rate with evaluate(rate) ≥ target, assuming evaluate falls with the rate. */
export async function searchGoodput(
  evaluate: (ratePerMin: number) => Promise<number>,
  startRate: number,
  opts: SearchOptions,
): Promise<SearchResult> {
  const maxSteps = opts.maxSteps ?? 16;
  const evaluations: SearchResult['evaluations'] = [];
  const judge = async (rate: number): Promise<boolean> => {
    const attainment = await evaluate(rate);
    evaluations.push({ ratePerMin: rate, attainment });
    return attainment >= opts.target;
  };
  const attainmentAt = (rate: number | null) =>
    rate === null ? null : evaluations.find((e) => e.ratePerMin === rate)?.attainment ?? null;
  const result = (status: SearchStatus, lo: number, hi: number | null): SearchResult => ({
    status, lo, hi, attainmentAtLo: lo > 0 ? attainmentAt(lo) : null, attainmentAtHi: attainmentAt(hi), evaluations,
  });

  let lo: number;
  let hi: number;
  if (await judge(startRate)) {
    lo = startRate;
    for (let step = 0; ; step++) {
      if (step === maxSteps) return result('above-range', lo, null);
      if (!(await judge(lo * 2))) break;
      lo *= 2;
    }
    hi = lo * 2;
  } else {
    hi = startRate;
    for (let step = 0; ; step++) {
      if (step === maxSteps) return result('below-range', 0, hi);
      if (await judge(hi / 2)) break;
      hi /= 2;
    }
    lo = hi / 2;
  }
  while (hi - lo > opts.precision * lo) {
    const mid = (lo + hi) / 2;
    if (await judge(mid)) lo = mid;
    else hi = mid;
  }
  return result('found', lo, hi);
}

export interface GoodputOptions extends SearchOptions {
  /** Seeds per rate: the scenario's seed, seed + 1, … */
  seeds: number;
  /** Policies (labels) to search; default all of the scenario's. */
  policies?: string[];
}

export interface PolicyGoodput extends SearchResult {
  policy: string;
  /** The goodput: highest rate (requests/min) found to meet the target; 0 when none did. */
  goodputPerMin: number;
}

export interface GoodputReport {
  scenario: string;
  target: number;
  precision: number;
  seeds: number[];
  metric: 'sloAttainment.both';
  startRatePerMin: number;
  policies: PolicyGoodput[];
}

/** The scenario's Poisson/bursty arrival rate; InputError when the scenario has none to search over. */
export function arrivalRateOf(loaded: LoadedScenario): number {
  const s = loaded.scenario;
  if (s.mode !== 'timed') {
    throw new InputError(`${loaded.file}: /mode`, 'goodput search needs a timed scenario: in isolated mode every request finds an idle device, so the arrival rate changes nothing');
  }
  const arrival = s.trace.arrival;
  if (!arrival || arrival.process === 'none') {
    throw new InputError(`${loaded.file}: /trace/arrival`, 'goodput search needs an arrival process with a rate (poisson or bursty, trace.arrival.ratePerMin)');
  }
  return arrival.ratePerMin;
}

function atRate(s: Scenario, rate: number, seed: number, policy: string): Scenario {
  const copy = structuredClone(s);
  if (copy.trace.arrival && copy.trace.arrival.process !== 'none') copy.trace.arrival.ratePerMin = rate;
  copy.seed = seed;
  copy.policies = policyEntries(s).filter((e) => e.label === policy).map((e) => ({ name: e.name, label: e.label, options: e.options }));
  copy.output = { ...copy.output, html: false, requestsCsv: false, timelineSamples: 0 };
  return copy;
}

/** Searches every policy concurrently; each rate's seeds run in parallel on `pool`. */
export async function goodputForScenario(loaded: LoadedScenario, opts: GoodputOptions, pool: ScenarioEvaluator): Promise<GoodputReport> {
  const startRate = arrivalRateOf(loaded);
  const labels = policyEntries(loaded.scenario).map((e) => e.label);
  for (const p of opts.policies ?? []) {
    if (!labels.includes(p)) throw new InputError('--policies', `"${p}" is not a policy of ${loaded.file} (it has ${labels.join(', ')})`);
  }
  const seeds = Array.from({ length: opts.seeds }, (_v, k) => (loaded.scenario.seed + k) % 4294967296);
  const evaluateFor = (policy: string) => async (rate: number): Promise<number> => {
    const shares = await Promise.all(
      seeds.map(async (seed) => {
        const scenario = atRate(loaded.scenario, rate, seed, policy);
        const what = `${loaded.file}: policy ${policy} at ${rate} requests/min, seed ${seed}`;
        const [headline] = await pool.run({ kind: 'evaluate', loaded: { ...loaded, scenario } }, what);
        return headline!.overall.sloAttainment.both;
      }),
    );
    return mean(shares);
  };
  const policies = await Promise.all(
    (opts.policies ?? labels).map(async (policy) => {
      const r = await searchGoodput(evaluateFor(policy), startRate, opts);
      return { policy, goodputPerMin: r.lo, ...r };
    }),
  );
  return {
    scenario: loaded.scenario.name,
    target: opts.target,
    precision: opts.precision,
    seeds,
    metric: 'sloAttainment.both',
    startRatePerMin: startRate,
    policies,
  };
}
