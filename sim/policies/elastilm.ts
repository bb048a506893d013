/**
 * ElastiLM: a tiny language model (TLM) picks a (prompt ratio, model level) pair per request; its own
 * inference time is billed to TTFT. The TLM is modelled by its decision quality q: with probability q it
 * predicts the best feasible pair (what its self-induced labels teach it), otherwise a pair drawn uniformly
 * from its label space (`randomFrom: 'all'`, the 90 pairs, as an untrained head would) or from the feasible
 * pairs only (`randomFrom: 'feasible'`). An infeasible prediction goes through the artifact's fix-up rule:
 * keep the predicted prompt ratio and take the largest feasible model level (paper §3.3; artifact §4.4).
 */
import type { AccuracyQuery } from '../../cost-models/accuracy/types.ts';
import type { Decision, DecisionContext, Policy, PolicyFactory, RequestView } from '../types.ts';
import { buildElasticSpace, frontier, pairFeasible } from './elastic-space.ts';
import { bestFeasiblePair, fastestPair, type PairChoice } from './best-pair.ts';
import { numberOption, enumOption } from './options.ts';

export const DEFAULT_DECISION_QUALITY = 0.9;

export const elastilm: PolicyFactory = (options, env) => {
  const quality = numberOption(options, 'decisionQuality', DEFAULT_DECISION_QUALITY, 0, 1);
  const randomFrom = enumOption(options, 'randomFrom', 'all', ['all', 'feasible'] as const);
  const space = buildElasticSpace(env.arch, true);
  const method = { accuracyMethod: 'elastilm', switchKind: 'pointer' as const, usesTlm: true };
  const front = new Int8Array(space.configs.length);
  const pick: PairChoice = { p: 0, m: 0 };
  const query: AccuracyQuery = { method: 'elastilm', model: env.model, dataset: 'OBQA', modelRatio: 1, promptRatio: 1 };

  const feasiblePairs = new Int16Array(space.configs.length * space.configs[0]!.length);

  function randomPair(req: RequestView, ctx: DecisionContext): void {
    const width = space.configs[0]!.length;
    if (randomFrom === 'all') {
      pick.p = ctx.rng.index(space.configs.length);
      pick.m = ctx.rng.index(width);
      return;
    }
    // switch costs can leave holes below the frontier, so the feasible pairs are listed, not counted
    let n = 0;
    for (let p = 0; p < front.length; p++) {
      for (let m = 0; m <= front[p]!; m++) if (pairFeasible(space, p, m, req, ctx, method.switchKind)) feasiblePairs[n++] = p * width + m;
    }
    const k = feasiblePairs[ctx.rng.index(n)]!;
    pick.p = Math.floor(k / width);
    pick.m = k % width;
  }

  const policy: Policy = {
    name: 'elastilm',
    method,
    decide(req: RequestView, ctx: DecisionContext): Decision {
      // a context built by hand without it would make every TTFT check pass (NaN > budget is false)
      if (!(ctx.tlmMs >= 0)) throw new Error(`elastilm: the decision context's tlmMs must be the TLM's time in ms (≥ 0), got ${ctx.tlmMs}`);
      const best = bestFeasiblePair(space, req, ctx, method.switchKind, query, front, pick);
      // draw unconditionally so the random stream does not depend on feasibility
      const u = ctx.rng.uniform();
      if (best === null) return space.configs[fastestPair(space, pick).p]![pick.m]!;
      if (u >= quality) {
        frontier(space, req, ctx, method.switchKind, front);
        randomPair(req, ctx);
        if (!pairFeasible(space, pick.p, pick.m, req, ctx, method.switchKind)) {
          // fix-up: keep the predicted prompt ratio, largest feasible level (fastest if none at this ratio)
          const m = front[pick.p]!;
          return m >= 0 ? space.configs[pick.p]![m]! : space.configs[fastestPair(space, pick).p]![0]!;
        }
      }
      return space.configs[pick.p]![pick.m]!;
    },
  };
  return policy;
};
