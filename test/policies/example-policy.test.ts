/** The worked example of docs/policies.md: a policy in one file, registered at run time, run in a scenario. */
import { describe, it, expect } from 'vitest';
import './fixtures/greedy-latency.ts';
import { policyNames, registerPolicy } from '../../sim/policies/registry.ts';
import { greedyLatency } from './fixtures/greedy-latency.ts';
import { validateScenario } from '../../sim/scenario.ts';
import { runScenario } from '../../sim/run.ts';

const scenario = (mode: 'isolated' | 'timed', policies: string[]) =>
  validateScenario(
    {
      name: `greedy-latency-${mode}`,
      mode,
      device: 'mi14',
      model: 'llama-7b',
      dtype: 'fp16',
      threads: 4,
      latency: { kind: 'roofline' },
      policies,
      queue: 'slo-aware',
      trace: {
        kind: 'paper', requests: 120, alpha: 0,
        arrival: mode === 'timed' ? { process: 'poisson', ratePerMin: 2 } : { process: 'none' },
      },
      seed: 11,
    },
    'example scenario',
  );

describe('a policy added in one file', () => {
  it('is listed by the registry and refuses a second registration under its name', () => {
    expect(policyNames()).toContain('greedy-latency');
    expect(() => registerPolicy('greedy-latency', greedyLatency)).toThrow(/already registered/);
  });

  it('runs in an isolated scenario beside the shipped policies, meeting every SLO at full prompt', async () => {
    const { summary } = await runScenario({ scenario: scenario('isolated', ['greedy-latency', 'elastilm']), baseDir: '.', file: 'example' });
    const greedy = summary.policies.find((p) => p.policy === 'greedy-latency')!;
    expect(greedy.overall.requests).toBe(120);
    expect(greedy.overall.sloAttainment.both).toBe(1);
    expect(greedy.configHistogram.every((c) => c.promptRatio === 1)).toBe(true);
    // full prompt and the largest feasible level: the level is ζ_TTFT on the paper's classes
    expect(new Set(greedy.perClass.map((c) => c.slo.ttft))).toEqual(new Set(greedy.configHistogram.map((c) => c.modelRatio)));
  });

  it('runs in a timed scenario with the slo-aware queue', async () => {
    const { summary } = await runScenario({ scenario: scenario('timed', ['greedy-latency']), baseDir: '.', file: 'example' });
    const greedy = summary.policies[0]!;
    expect(greedy.overall.served + greedy.overall.dropped).toBe(120);
    expect(greedy.overall.ttftMs.mean).toBeGreaterThan(0);
  });
});
