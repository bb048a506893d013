/**
 * LPruner (LLM-Pruner structured pruning + LoRA). In the artifact's harness it runs the same reordered
 * sub-model + LoRA as ElastiLM at model ratio ζ_TTFT with the full prompt — no prompt elastification
 * (elastilm.md §4.5). SLOs between levels take the level below.
 *
 * Quirk (derived from the rule, not listed by the reference): ratio ζ_TTFT ignores ζ_TPOT, so an SLO with
 * ζ_TTFT > ζ_TPOT (none of the paper's classes) misses its TPOT. `faithful: false` uses m = min(ζ_TTFT, ζ_TPOT).
 *
 * Switching: 'relayout' — without neuron reordering the kept channels of a new ratio are not a prefix, so
 * every non-anchor tensor is copied into a new dense layout (paper: up to 6.2 s per request, 8.2 s for
 * 20 %→30 %, §2.2). Memory: the model pruned in place plus one LoRA.
 */
import { elasticShape } from '../../cost-models/index.ts';
import { MODEL_RATIOS } from '../../cost-models/types.ts';
import type { Config, Decision, DecisionContext, Policy, PolicyFactory, RequestView } from '../types.ts';
import { checkOptions, clampRatio, faithfulOption, levelAtOrBelow, minRatio, sloRatios } from './baseline-slo.ts';

export const llmPruner: PolicyFactory = (options, env) => {
  checkOptions(options, ['faithful'], 'llm-pruner');
  const faithful = faithfulOption(options);
  const configs: Config[] = MODEL_RATIOS.map((r) => ({ modelRatio: r, promptRatio: 1, shape: elasticShape(env.arch, r, true) }));
  const policy: Policy = {
    name: 'llm-pruner',
    method: { accuracyMethod: 'llm-pruner', switchKind: 'relayout', usesTlm: false },
    decide(req: RequestView, ctx: DecisionContext): Decision {
      const s = sloRatios(req, ctx);
      return configs[levelAtOrBelow(faithful ? clampRatio(s.ttft) : minRatio(s))]!;
    },
  };
  return policy;
};
