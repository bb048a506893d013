/**
 * PFS (pre-trained-from-scratch small models, code name `Off-The-Shelf`): instead of shrinking the LLM it
 * runs a smaller OPT model on the full prompt. Rule (elastilm.md §4.5), m = min(ζ_TTFT, ζ_TPOT):
 * LLaMA-family models: m ≥ 0.5 → OPT-2.7B, else OPT-1.3B; Orca-mini-3B: m ≥ 0.5 → OPT-1.3B, else OPT-350M.
 *
 * Quirk: the artifact meant m = 1.0 to run the full model, but a bug overrides it with the larger OPT, so
 * PFS never runs the full model (`faithful: true`, the default). `faithful: false` runs the scenario's LLM
 * at m = 1.0; its accuracy is then asked of the 'pfs' surface for that model, which a surface file must
 * provide (the shipped priors cover the OPT models only).
 *
 * The config's nominal ratio is m (the share of the full model's latency the rule assumes the small model
 * meets: that is what isolated mode judges); the accuracy is the small model's own (ratio 1, full prompt).
 * Switching: 'swap' — load the other model from flash (paper: up to 8.3 s, §2.2). Memory: one model at a
 * time, the largest it may load (all resident would be the paper's 29.3 GB "PFS (Ideal)", §2.4).
 */
import { fullShape, getArchitecture, pfsModels } from '../../cost-models/index.ts';
import type { Config, Decision, DecisionContext, Policy, PolicyFactory, RequestView } from '../types.ts';
import { checkOptions, faithfulOption, minRatio, sloRatios } from './baseline-slo.ts';

const EPS = 1e-9;

/** The model PFS runs at ratio m: an OPT id, or `null` for the scenario's own (full) model. */
export function pfsModelFor(models: readonly string[], m: number, faithful: boolean): string | null {
  if (!faithful && m >= 1 - EPS) return null;
  return m >= 0.5 - EPS ? models[0]! : models[1]!;
}

export const pfs: PolicyFactory = (options, env) => {
  checkOptions(options, ['faithful'], 'pfs');
  const faithful = faithfulOption(options);
  const models = pfsModels(env.arch);
  const shapes = new Map<string | null, Config['shape']>();
  for (const id of [...models, null]) shapes.set(id, fullShape(id === null ? env.arch : getArchitecture(id)));
  const cache = new Map<number, Config>();
  const policy: Policy = {
    name: 'pfs',
    method: { accuracyMethod: 'pfs', switchKind: 'swap', usesTlm: false },
    decide(req: RequestView, ctx: DecisionContext): Decision {
      const m = minRatio(sloRatios(req, ctx));
      let c = cache.get(m);
      if (!c) {
        const id = pfsModelFor(models, m, faithful);
        c = { modelRatio: m, promptRatio: 1, shape: shapes.get(id)!, accuracyModel: id ?? env.model, accuracyModelRatio: 1 };
        cache.set(m, c);
      }
      return c;
    },
  };
  return policy;
};
