/**
 * ShortGPT: drops whole decoder layers by Block Influence (1 − cos(h_in, h_out)), with the same slicing
 * rule — and the same off-by-one — as LE (layer-slice.ts). Switching: 'layer-drop'. Memory: the one full
 * model. Source: elastilm.md §4.5, BI ranking §5.1.
 */
import type { PolicyFactory } from '../types.ts';
import { makeLayerSlicePolicy } from './layer-slice.ts';
import { SHORTGPT_RANKING } from './layer-rankings.ts';

export const shortgpt: PolicyFactory = (options, env) =>
  makeLayerSlicePolicy(
    {
      name: 'shortgpt',
      method: { accuracyMethod: 'shortgpt', switchKind: 'layer-drop', usesTlm: false },
      ranking: SHORTGPT_RANKING,
      rankingName: 'ShortGPT (Block Influence)',
    },
    options,
    env,
  );
