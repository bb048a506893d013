/**
 * Picks the most accurate feasible (prompt ratio, model level) pair. Accuracy surfaces are monotone in both
 * ratios, so the best pair lies on the feasible frontier; ties go to the larger model, then the larger prompt.
 */
import type { AccuracyQuery } from '../../cost-models/accuracy/types.ts';
import type { DecisionContext, RequestView } from '../types.ts';
import type { ElasticSpace } from './elastic-space.ts';

export interface PairChoice {
  p: number;
  m: number;
}

export function bestOnFrontier(
  space: ElasticSpace,
  front: Int8Array,
  req: RequestView,
  ctx: DecisionContext,
  query: AccuracyQuery,
  into: PairChoice,
): PairChoice | null {
  let bestQ = -1;
  let found = false;
  query.dataset = req.dataset;
  for (let p = 0; p < front.length; p++) {
    const m = front[p]!;
    if (m < 0) continue;
    const c = space.configs[p]![m]!;
    query.modelRatio = c.modelRatio;
    query.promptRatio = c.promptRatio;
    const q = ctx.accuracy.quality(query);
    const better =
      q > bestQ ||
      (q === bestQ && (m > into.m || (m === into.m && c.promptRatio > space.configs[into.p]![m]!.promptRatio)));
    if (!found || better) {
      bestQ = q;
      into.p = p;
      into.m = m;
      found = true;
    }
  }
  return found ? into : null;
}

/** The fastest pair of the space (smallest prompt, smallest model): what a hopeless request is served with. */
export function fastestPair(space: ElasticSpace, into: PairChoice): PairChoice {
  into.p = space.configs.length - 1;
  into.m = 0;
  return into;
}
