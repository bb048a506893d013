/**
 * AttnDrop: drops attention and MLP sub-layers separately. The artifact prices a layer as ⅓ attention and
 * ⅔ MLP, so dropping a attention and b MLP sub-layers of L leaves (L − a + 2L − 2b)/(3L) of the model, and it
 * takes the first (a, b) with that ≤ m = min(ζ_TTFT, ζ_TPOT) in its search order: a outer, b inner, each
 * 0..L−1 (elastilm.md §4.5). That order drops MLPs first (a = 0 for m ≥ 0.4 on 32 layers) and never drops
 * all L MLPs, hence a = 15 at m = 0.2. Attention sub-layers go least important first by the attention Block
 * Influence ranking (§5.1). No documented quirk: `faithful` is accepted and changes nothing.
 * Switching: 'layer-drop'. Memory: the one full model.
 */
import { shapeOf } from '../../cost-models/index.ts';
import type { Config, Decision, DecisionContext, Policy, PolicyFactory, RequestView } from '../types.ts';
import { checkOptions, faithfulOption, minRatio, sloRatios } from './baseline-slo.ts';
import { ATTN_BI_RANKING, keptLayers, rankingFor } from './layer-rankings.ts';

export interface SubLayerDrop {
  /** Attention sub-layers dropped. */
  attn: number;
  /** MLP sub-layers dropped. */
  mlp: number;
}

/** The artifact's search for the sub-layers to drop at ratio m (float arithmetic as its Python). */
export function attnDropSearch(layers: number, m: number): SubLayerDrop {
  for (let a = 0; a < layers; a++) {
    for (let b = 0; b < layers; b++) {
      if ((layers - a + 2 * layers - 2 * b) / (3 * layers) <= m) return { attn: a, mlp: b };
    }
  }
  return { attn: layers - 1, mlp: layers - 1 };
}

export interface AttnDropPolicy extends Policy {
  /** Layers whose attention sub-layer runs at ratio m (ascending indices). */
  attentionLayersAt(m: number): number[];
}

export const attnDrop: PolicyFactory = (options, env) => {
  checkOptions(options, ['faithful'], 'attn-drop');
  faithfulOption(options);
  const arch = env.arch;
  const ranking = rankingFor(ATTN_BI_RANKING, env.model, arch.layers, 'AttnDrop (attention Block Influence)');
  const cache = new Map<number, Config>();
  const configFor = (m: number): Config => {
    let c = cache.get(m);
    if (!c) {
      const d = attnDropSearch(arch.layers, m);
      c = { modelRatio: m, promptRatio: 1, shape: shapeOf(arch, { attnLayers: arch.layers - d.attn, mlpLayers: arch.layers - d.mlp }) };
      cache.set(m, c);
    }
    return c;
  };
  const policy: AttnDropPolicy = {
    name: 'attn-drop',
    method: { accuracyMethod: 'attn-drop', switchKind: 'layer-drop', usesTlm: false },
    decide(req: RequestView, ctx: DecisionContext): Decision {
      return configFor(minRatio(sloRatios(req, ctx)));
    },
    attentionLayersAt(m: number): number[] {
      return keptLayers(ranking, arch.layers - attnDropSearch(arch.layers, m).attn);
    },
  };
  return policy;
};
