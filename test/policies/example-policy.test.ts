/** The worked example of docs/policies.md: a policy plug-in in one file, loaded at run time, run in a scenario. */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, it, expect } from 'vitest';
import { loadPlugins, resolvePlugin } from '../../cli/plugins.ts';
import { policyNames, registerPolicy } from '../../sim/policies/registry.ts';
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

const EXAMPLE = fileURLToPath(new URL('../../docs/examples/greedy-latency.ts', import.meta.url));

describe('a policy added in one file', () => {
  beforeAll(async () => {
    await loadPlugins([resolvePlugin(EXAMPLE, '.', 'test')]);
  });

  it('is listed by the registry and refuses a second registration under its name', () => {
    expect(policyNames()).toContain('greedy-latency');
    expect(() => registerPolicy('greedy-latency', () => { throw new Error('never built'); })).toThrow(/"greedy-latency" is already registered \(by .*greedy-latency\.ts\)/);
  });

  it('refuses options it does not know, as a policy error of the run', async () => {
    const { summary } = await runScenario({ scenario: scenario('isolated', ['greedy-latency']), baseDir: '.', file: 'example' });
    expect(summary.policies[0]!.overall.requests).toBe(120);
    const withOption = validateScenario({ ...scenario('isolated', ['greedy-latency']), policies: [{ name: 'greedy-latency', options: { greed: 2 } }] }, 'x');
    await expect(runScenario({ scenario: withOption, baseDir: '.', file: 'example' })).rejects.toThrow(/takes no options, got greed/);
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
