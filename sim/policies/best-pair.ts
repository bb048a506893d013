/**
 * Picks the most accurate feasible (prompt ratio, model level) pair. Accuracy surfaces are monotone in both
 * ratios, so the best pair lies on the feasible frontier; ties go to the larger model, then the larger prompt.
 */
import type { AccuracyQuery } from '../../cost-models/accuracy/types.ts';
import type { DecisionContext, RequestView } from '../types.ts';
import type { SwitchKind } from '../../cost-models/types.ts';
import { frontier, residentSlot, type ElasticSpace } from './elastic-space.ts';
import { NOT_REMEMBERED } from './idle-decisions.ts';

/**
 * Expected quality of every pair of the space for the request's dataset, computed once per (policy query,
 * surface, dataset): a policy consults it for every request, and surfaces are fixed for a run. Keyed by the
 * policy's own query object (its method and model never change), so a lookup allocates nothing.
 */
interface GridEntry {
  surface: object;
  byDataset: Map<string, Float64Array>;
  /** The grid by request class (RequestView.appIndex), checked against the class's dataset on use. */
  byClass: Array<Float64Array | undefined>;
  classDataset: string[];
}

const gridCache = new WeakMap<AccuracyQuery, GridEntry>();
// the last query asked about: a run asks about one query, a million times
let lastQuery: AccuracyQuery | undefined;
let lastEntry: GridEntry | undefined;

function qualityGrid(space: ElasticSpace, req: RequestView, ctx: DecisionContext, query: AccuracyQuery): Float64Array {
  let entry = query === lastQuery ? lastEntry : gridCache.get(query);
  if (!entry || entry.surface !== ctx.accuracy) {
    entry = { surface: ctx.accuracy, byDataset: new Map(), byClass: [], classDataset: [] };
    gridCache.set(query, entry);
  }
  lastQuery = query;
  lastEntry = entry;
  const c = req.appIndex;
  if (c >= 0 && entry.classDataset[c] === req.dataset) return entry.byClass[c]!;
  let grid = entry.byDataset.get(req.dataset);
  if (!grid) {
    const width = space.configs[0]!.length;
    const g = new Float64Array(space.configs.length * width);
    query.dataset = req.dataset;
    space.configs.forEach((row, p) =>
      row.forEach((cfg, m) => {
        query.modelRatio = cfg.modelRatio;
        query.promptRatio = cfg.promptRatio;
        g[p * width + m] = ctx.accuracy.quality(query);
      }),
    );
    entry.byDataset.set(req.dataset, g);
    grid = g;
  }
  if (c >= 0 && c < 1 << 16) {
    while (entry.byClass.length <= c) {
      entry.byClass.push(undefined);
      entry.classDataset.push('');
    }
    entry.byClass[c] = grid;
    entry.classDataset[c] = req.dataset;
  }
  return grid;
}

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
  // prompt ratios fall as p rises (PROMPT_RATIOS order), so on equal quality and level the earlier row, which
  // the loop meets first, is the larger prompt: ties need only the level compared
  let bestQ = -1;
  let bestP = -1;
  let bestM = -1;
  const width = space.configs[0]!.length;
  const qualities = qualityGrid(space, req, ctx, query);
  for (let p = 0; p < front.length; p++) {
    const m = front[p]!;
    if (m < 0) continue;
    const q = qualities[p * width + m]!;
    if (bestP < 0 || q > bestQ || (q === bestQ && m > bestM)) {
      bestQ = q;
      bestP = p;
      bestM = m;
    }
  }
  if (bestP < 0) return null;
  into.p = bestP;
  into.m = bestM;
  return into;
}

/**
 * The frontier walk and bestOnFrontier in one: the most accurate feasible pair for the request, or null if
 * none is feasible. For a request that waited for nothing the answer is remembered per (kind, resident level)
 * (IdleDecisions), and `front` is then left as it was: callers that need the frontier itself call frontier.
 */
export function bestFeasiblePair(
  space: ElasticSpace,
  req: RequestView,
  ctx: DecisionContext,
  switchKind: SwitchKind,
  query: AccuracyQuery,
  front: Int8Array,
  into: PairChoice,
): PairChoice | null {
  const kind = req.kind;
  const slot = ctx.waitedMs === 0 && !(ctx.mode === 'isolated' && req.slo.unit === 'ratio') ? residentSlot(space, ctx.resident) : -1;
  const memo = space.idle.usable(kind, slot, ctx);
  if (memo) {
    const known = space.idle.get(kind, slot, ctx);
    if (known !== NOT_REMEMBERED) {
      if (known < 0) return null;
      const width = space.configs[0]!.length;
      into.p = Math.floor(known / width);
      into.m = known % width;
      return into;
    }
  }
  frontier(space, req, ctx, switchKind, front);
  const best = bestOnFrontier(space, front, req, ctx, query, into);
  if (memo) space.idle.set(kind, slot, ctx, best === null ? -1 : best.p * space.configs[0]!.length + best.m);
  return best;
}

/** The fastest pair of the space (smallest prompt, smallest model): what a hopeless request is served with. */
export function fastestPair(space: ElasticSpace, into: PairChoice): PairChoice {
  into.p = space.configs.length - 1;
  into.m = 0;
  return into;
}
