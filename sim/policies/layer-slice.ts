/**
 * The artifact's layer-slicing rule, shared by LE (LayerReduction) and ShortGPT: rank the layers, keep the
 * last `−int(1 − L·m)` entries of the ascending ranking (elastilm.md §4.5). With Python's truncating int
 * that is trunc(L·m − 1): one layer fewer than ⌊L·m⌋ whenever L·m is not an integer, and at m = 1.0 it still
 * drops a layer (31 of 32) — the documented off-by-one. `faithful: false` keeps ⌊L·m⌋ layers instead, the
 * most that fit the ratio, so m = 1.0 runs the whole model.
 *
 * Config: nominal model ratio m (judged by the ratio rule in isolated mode), the full prompt, full-width
 * layers; the accuracy surface is queried at m on the method's own axis.
 */
import { shapeOf } from '../../cost-models/index.ts';
import type { Config, Decision, DecisionContext, MethodSpec, Policy, PolicyEnv, RequestView } from '../types.ts';
import { checkOptions, faithfulOption, minRatio, sloRatios } from './baseline-slo.ts';
import { keptLayers, rankingFor } from './layer-rankings.ts';

const EPS = 1e-9;

/** Layers kept out of `layers` at nominal ratio m (float arithmetic as the artifact's Python). */
export function slicedLayerCount(layers: number, m: number, faithful: boolean): number {
  if (faithful) return Math.max(0, -Math.trunc(1 - layers * m));
  return Math.min(layers, Math.floor(layers * m + EPS));
}

export interface LayerSliceSpec {
  name: string;
  method: MethodSpec;
  ranking: Readonly<Record<string, readonly number[]>>;
  rankingName: string;
}

export interface LayerSlicePolicy extends Policy {
  /** Which layers run at nominal ratio m (ascending layer indices), for reports and tests. */
  layersAt(m: number): number[];
}

export function makeLayerSlicePolicy(spec: LayerSliceSpec, options: Record<string, unknown>, env: PolicyEnv): LayerSlicePolicy {
  checkOptions(options, ['faithful'], spec.name);
  const faithful = faithfulOption(options);
  const arch = env.arch;
  const ranking = rankingFor(spec.ranking, env.model, arch.layers, spec.rankingName);
  // SLOs come from a handful of classes: one Config per distinct m, built once
  const cache = new Map<number, Config>();
  const configFor = (m: number): Config => {
    let c = cache.get(m);
    if (!c) {
      const k = slicedLayerCount(arch.layers, m, faithful);
      c = { modelRatio: m, promptRatio: 1, shape: shapeOf(arch, { attnLayers: k, mlpLayers: k }) };
      cache.set(m, c);
    }
    return c;
  };
  return {
    name: spec.name,
    method: spec.method,
    decide(req: RequestView, ctx: DecisionContext): Decision {
      return configFor(minRatio(sloRatios(req, ctx)));
    },
    layersAt(m: number): number[] {
      return keptLayers(ranking, slicedLayerCount(arch.layers, m, faithful));
    },
  };
}
