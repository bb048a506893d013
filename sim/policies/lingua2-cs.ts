/**
 * LG2+CS (code name `Lingua2+Contextual`): LLMLingua-2 prompt compression plus Deja-Vu contextual MLP
 * sparsity (elastilm.md §4.5). The compressor keeps ζ_TTFT of the prompt; a per-layer predictor keeps the
 * top ζ_TPOT of FFN neurons for every token, in prefill and decode. The elastic LLM itself stays dense
 * in attention and full width.
 *
 * Config: prompt ratio ζ_TTFT (only the system prompt is compressed, as for every method: the artifact
 * applies rate ζ_TTFT to the system prompt alone, which keeps a little more than ζ_TTFT of the whole prompt
 * when the query is long; the twin's prompt ratio is the whole-prompt share, as the accuracy surfaces'
 * axis); nominal model ratio = FFN density = ζ_TPOT, both clamped to the ranges the surfaces cover
 * ([0.1, 1] and [0.2, 1]). The ratio rule then holds by construction (ζ_TTFT·ζ_TPOT ≤ ζ_TTFT). What the
 * sparsity really saves is the latency model's business: it prices ffnDensity with a sparse-kernel penalty
 * (per-token neuron sets break batched GEMMs in prefill), which is why timed runs show the paper's
 * "prefill gains are poor".
 * Compressor cost: billed as a TLM call (`usesTlm`), i.e. at the ElastiLM TLM's time — a lower bound, the
 * LLMLingua-2 compressor (BERT-base multilingual, 178 M parameters) being larger.
 * Switching: 'none' — every weight stays resident; which neurons run is chosen per token, so a new density
 * moves no data. No documented quirk: `faithful` is accepted and changes nothing.
 */
import { shapeOf } from '../../cost-models/index.ts';
import { PROMPT_RATIOS } from '../../cost-models/types.ts';
import type { Config, Decision, DecisionContext, Policy, PolicyFactory, RequestView } from '../types.ts';
import { checkOptions, clampRatio, faithfulOption, sloRatios } from './baseline-slo.ts';

const MIN_PROMPT = PROMPT_RATIOS[PROMPT_RATIOS.length - 1]!;

export const lingua2Cs: PolicyFactory = (options, env) => {
  checkOptions(options, ['faithful'], 'lingua2-cs');
  faithfulOption(options);
  const cache = new Map<string, Config>();
  const policy: Policy = {
    name: 'lingua2-cs',
    method: { accuracyMethod: 'lingua2-cs', switchKind: 'none', usesTlm: true },
    decide(req: RequestView, ctx: DecisionContext): Decision {
      const s = sloRatios(req, ctx);
      const p = Math.min(1, Math.max(MIN_PROMPT, s.ttft));
      const d = clampRatio(s.tpot);
      const key = `${p}|${d}`;
      let c = cache.get(key);
      if (!c) {
        c = { modelRatio: d, promptRatio: p, shape: shapeOf(env.arch, { ffnDensity: d }) };
        cache.set(key, c);
      }
      return c;
    },
  };
  return policy;
};
