/** Invariants of the aggregated metrics (summary.json) and of whole runs. */
import fc from 'fast-check';
import { summarizePolicy } from '../../../sim/metrics.ts';
import { runScenario } from '../../../sim/run.ts';
import { validateScenario, type LoadedScenario } from '../../../sim/scenario.ts';
import { policyNames } from '../../../sim/policies/registry.ts';
import { queueNames } from '../../../sim/queues/index.ts';
import { stableJson } from '../../../base/stable-json.ts';
import { formatRequestsCsv } from '../../../reports/requests-csv.ts';
import type { Metrics } from '../../../sim/results.ts';
import { defineInvariant } from '../invariant.ts';
import { fittingSetups, realParts, runCase, simCaseArb, type SimParts } from '../sim-case.ts';

function checkBounds(m: Metrics, where: string): void {
  const fail = (what: string): never => {
    throw new Error(`${where}: ${what} (${JSON.stringify(m)})`);
  };
  if (m.served + m.dropped !== m.requests) fail('served + dropped ≠ requests');
  if (!(m.accuracyUnderSlo >= 0 && m.accuracyUnderSlo <= m.accuracy && m.accuracy <= 1)) fail('not 0 ≤ accuracy under SLO ≤ accuracy ≤ 1');
  const a = m.sloAttainment;
  if (!(a.both <= Math.min(a.ttft, a.tpot) && Math.max(a.ttft, a.tpot) <= 1)) fail('SLO attainment (both) exceeds TTFT or TPOT attainment');
  if (m.accuracyUnderSlo > a.both) fail('accuracy under SLO exceeds SLO attainment');
  if (!(m.expectedAccuracy >= 0 && m.expectedAccuracy <= 1)) fail('expected accuracy outside [0, 1]');
}

export const accuracyUnderSloBounded = defineInvariant({
  name: 'accuracy-under-slo-bounded',
  statement: 'Accuracy under SLO ≤ accuracy ≤ 1 and ≤ SLO attainment (both) ≤ min(TTFT, TPOT attainment), overall and per SLO class; served + dropped = requests.',
  area: 'metrics',
  runs: 150,
  defaults: (): SimParts => realParts,
  property: (parts: SimParts) =>
    fc.property(simCaseArb(), (c) => {
      const { table, policy, result } = runCase(c, parts);
      const s = summarizePolicy(policy.name, policy.method.accuracyMethod, table, result);
      checkBounds(s.overall, 'overall');
      for (const k of s.perClass) checkBounds(k.metrics, `class ${k.app}`);
    }),
});

/** A small inline scenario (60 s of Poisson traffic or an isolated batch) for whole-run properties. */
const scenarioArb = fc.record({
  mode: fc.constantFrom('isolated', 'timed'),
  setup: fc.constantFrom(...fittingSetups()),
  queue: fc.constantFrom(...queueNames()),
  onLate: fc.constantFrom('serve', 'drop'),
  policies: fc.uniqueArray(fc.constantFrom(...policyNames()), { minLength: 2, maxLength: 3 }),
  // the paper's class counts truncate per class (N·w_k), so below ~12 requests a trace may be empty
  requests: fc.integer({ min: 12, max: 30 }),
  alpha: fc.constantFrom(-0.25, 0, 0.25),
  ratePerMin: fc.integer({ min: 1, max: 20 }),
  seed: fc.integer({ min: 0, max: 4294967295 }),
});

export const sameSeedSameOutput = defineInvariant({
  name: 'same-seed-same-output',
  statement: "Same scenario and seed → byte-identical summary.json and requests.csv, and a policy's results do not depend on which other policies run beside it.",
  area: 'simulator',
  runs: 12,
  defaults: () => ({ run: runScenario }),
  property: (parts: { run: typeof runScenario }) =>
    fc.asyncProperty(scenarioArb, async (g) => {
      const scenario = validateScenario(
        {
          name: 'prop', mode: g.mode, device: g.setup.device, model: g.setup.model, policies: g.policies, queue: g.queue, onLate: g.onLate,
          trace: { kind: 'paper', requests: g.requests, alpha: g.alpha, arrival: g.mode === 'timed' ? { process: 'poisson', ratePerMin: g.ratePerMin } : { process: 'none' } },
          seed: g.seed,
        },
        'generated scenario',
      );
      const loaded: LoadedScenario = { scenario, baseDir: process.cwd(), file: 'generated.json' };
      const render = (r: Awaited<ReturnType<typeof runScenario>>) => stableJson(r.summary) + formatRequestsCsv(r.rows ?? []);
      const a = await parts.run(loaded);
      const b = await parts.run(loaded);
      if (render(a) !== render(b)) throw new Error('two runs of the same scenario and seed differ');
      const last = g.policies[g.policies.length - 1]!;
      const alone = await parts.run(loaded, { policies: [last] });
      const together = a.summary.policies.find((p) => p.policy === last);
      if (stableJson(alone.summary.policies[0]) !== stableJson(together)) throw new Error(`${last} alone differs from ${last} beside ${g.policies.join(', ')}`);
    }),
});
