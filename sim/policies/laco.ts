/**
 * LaCo (layer collapse): one pre-built model per ratio r ∈ {0.2, …, 1.0}, made by merging runs of 4 layers
 * into one (RDSC merge) while the merged model's last hidden state stays cosine-similar to the original
 * (threshold 0.45, lowered by 0.1 whenever the scan reaches the bottom), until at most ⌊r·L⌋ layers remain.
 * It runs the model for r = m = min(ζ_TTFT, ζ_TPOT) (elastilm.md §4.5); SLOs between levels take the level
 * below. A merged layer costs what a plain layer costs, so the shape is ⌊r·L⌋ full-width layers (the exact
 * count depends on similarity outcomes the artifact does not record; ⌊r·L⌋ is its target). No documented
 * quirk: `faithful` is accepted and changes nothing.
 * Switching: 'reload' — the sub-models share no weights, so a new ratio loads its model from flash.
 * Memory: one sub-model at a time (all nine resident would be the paper's 76.3 GB "LaCo (Ideal)", §2.4).
 */
import { lacoLayers, shapeOf } from '../../cost-models/index.ts';
import { MODEL_RATIOS } from '../../cost-models/types.ts';
import type { Config, Decision, DecisionContext, Policy, PolicyFactory, RequestView } from '../types.ts';
import { checkOptions, faithfulOption, levelAtOrBelow, minRatio, sloRatios } from './baseline-slo.ts';

export const laco: PolicyFactory = (options, env) => {
  checkOptions(options, ['faithful'], 'laco');
  faithfulOption(options);
  const configs: Config[] = MODEL_RATIOS.map((r) => {
    const k = lacoLayers(env.arch, r);
    return { modelRatio: r, promptRatio: 1, shape: shapeOf(env.arch, { attnLayers: k, mlpLayers: k }) };
  });
  const policy: Policy = {
    name: 'laco',
    method: { accuracyMethod: 'laco', switchKind: 'reload', usesTlm: false },
    decide(req: RequestView, ctx: DecisionContext): Decision {
      return configs[levelAtOrBelow(minRatio(sloRatios(req, ctx)))]!;
    },
  };
  return policy;
};
