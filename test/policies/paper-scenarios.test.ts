/**
 * The 15 paper scenarios with all ten policies, through runScenario and the shipped cost models and
 * accuracy surfaces: in isolated mode every policy but `full` (deliberately infeasible: it never shrinks)
 * meets every SLO, and in expected accuracy oracle ≥ elastilm ≥ each of the seven baselines.
 */
import { describe, it, expect } from 'vitest';
import { listScenarioNames, loadScenario, policyEntries } from '../../sim/scenario.ts';
import { runScenario } from '../../sim/run.ts';

// the list scripts/make-paper-scenarios.ts writes (importing the script would run it)
const PAPER_POLICIES = [
  'elastilm', 'oracle', 'full', 'pfs', 'llm-pruner', 'layer-reduction', 'laco', 'shortgpt', 'attn-drop', 'lingua2-cs',
];
const PAPER = listScenarioNames().filter((n) => n.startsWith('paper-'));
const INFEASIBLE = new Set(['full']);

describe('paper scenarios', () => {
  it('are the 15 model × α setups, each with all ten policies', () => {
    expect(PAPER).toHaveLength(15);
    for (const name of PAPER) expect(policyEntries(loadScenario(name).scenario).map((e) => e.name)).toEqual(PAPER_POLICIES);
  });

  for (const name of PAPER) {
    it(`${name}: SLOs met by every feasible policy; oracle ≥ elastilm ≥ baselines`, async () => {
      const { summary } = await runScenario(loadScenario(name));
      const by = new Map(summary.policies.map((p) => [p.policy, p.overall]));
      expect([...by.keys()]).toEqual(PAPER_POLICIES);
      for (const [policy, m] of by) {
        if (INFEASIBLE.has(policy)) continue;
        expect({ policy, both: m.sloAttainment.both }).toEqual({ policy, both: 1 });
      }
      const oracle = by.get('oracle')!.expectedAccuracy;
      const elastilm = by.get('elastilm')!.expectedAccuracy;
      expect(oracle).toBeGreaterThanOrEqual(elastilm);
      for (const [policy, m] of by) {
        if (policy === 'oracle' || policy === 'elastilm' || INFEASIBLE.has(policy)) continue;
        expect({ policy, beatsElastilm: m.expectedAccuracy > elastilm }).toEqual({ policy, beatsElastilm: false });
      }
    }, 600_000);
  }
});
