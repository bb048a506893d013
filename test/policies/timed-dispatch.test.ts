/**
 * SLO-aware dispatch end to end: the shipped default scenario (Orca-mini-3B on the MI14, timed, Poisson
 * arrivals) under fcfs, edf and slo-aware, through runScenario.
 */
import { describe, it, expect } from 'vitest';
import { loadScenario } from '../../sim/scenario.ts';
import { runScenario } from '../../sim/run.ts';
import type { Metrics } from '../../sim/results.ts';

async function run(queue: string, onLate: 'serve' | 'drop' = 'serve'): Promise<Map<string, Metrics>> {
  const loaded = loadScenario('default');
  const scenario = { ...loaded.scenario, queue, onLate, policies: ['elastilm', 'pfs', 'layer-reduction'] };
  const { summary } = await runScenario({ ...loaded, scenario });
  return new Map(summary.policies.map((p) => [p.policy, p.overall]));
}

describe('queue disciplines in timed mode', () => {
  it('slo-aware meets at least as many SLOs as edf, and edf as fcfs, for elastilm', async () => {
    const [fcfs, edf, slo] = await Promise.all([run('fcfs'), run('edf'), run('slo-aware')]);
    const both = (m: Map<string, Metrics>) => m.get('elastilm')!.sloAttainment.both;
    expect(both(slo)).toBeGreaterThanOrEqual(both(edf));
    expect(both(edf)).toBeGreaterThanOrEqual(both(fcfs));
    expect(both(slo)).toBeGreaterThan(both(fcfs));
  }, 600_000);

  it('with onLate "drop" nothing is served late, and every request is served or dropped', async () => {
    const m = await run('slo-aware', 'drop');
    for (const [policy, x] of m) {
      expect(x.sloAttainment.both, policy).toBeCloseTo(x.served / x.requests, 5);
      expect(x.served + x.dropped).toBe(x.requests);
    }
  }, 600_000);
});
