/**
 * Oracle: the most accurate feasible (prompt ratio, model level) pair by the accuracy surface, with no TLM
 * cost. It is ElastiLM with a perfect, free decision head: the upper bound of the elastic design.
 */
import type { AccuracyQuery } from '../../cost-models/accuracy/types.ts';
import type { Decision, DecisionContext, Policy, PolicyFactory, RequestView } from '../types.ts';
import { buildElasticSpace } from './elastic-space.ts';
import { bestFeasiblePair, fastestPair, type PairChoice } from './best-pair.ts';

export const oracle: PolicyFactory = (_options, env) => {
  const space = buildElasticSpace(env.arch, true);
  const method = { accuracyMethod: 'elastilm', switchKind: 'pointer' as const, usesTlm: false };
  const front = new Int8Array(space.configs.length);
  const pick: PairChoice = { p: 0, m: 0 };
  const query: AccuracyQuery = { method: 'elastilm', model: env.model, dataset: 'OBQA', modelRatio: 1, promptRatio: 1 };
  const policy: Policy = {
    name: 'oracle',
    method,
    decide(req: RequestView, ctx: DecisionContext): Decision {
      const best = bestFeasiblePair(space, req, ctx, method.switchKind, query, front, pick) ?? fastestPair(space, pick);
      return space.configs[best.p]![best.m]!;
    },
  };
  return policy;
};
