/** Full: no elasticity. The full model on the full prompt for every request; nothing ever switches. */
import { fullShape } from '../../cost-models/index.ts';
import type { Config, Policy, PolicyFactory } from '../types.ts';

export const full: PolicyFactory = (_options, env) => {
  const config: Config = { modelRatio: 1, promptRatio: 1, shape: fullShape(env.arch) };
  const policy: Policy = {
    name: 'full',
    method: { accuracyMethod: 'full', switchKind: 'none', usesTlm: false },
    decide: () => config,
  };
  return policy;
};
