/**
 * LE (LayerReduction, code name `LayerReduction`): drops whole decoder layers, least important first by the
 * anchor-layer ranking (loss with the layer removed). Rule, quirk and config: see layer-slice.ts.
 * Switching: 'layer-drop' (skipping layers is a change of the layer list; re-activated layers are streamed
 * once). Memory: the one full model stays resident. Source: elastilm.md §4.5, ranking §5.1.
 */
import type { PolicyFactory } from '../types.ts';
import { makeLayerSlicePolicy } from './layer-slice.ts';
import { LE_RANKING } from './layer-rankings.ts';

export const layerReduction: PolicyFactory = (options, env) =>
  makeLayerSlicePolicy(
    {
      name: 'layer-reduction',
      method: { accuracyMethod: 'layer-reduction', switchKind: 'layer-drop', usesTlm: false },
      ranking: LE_RANKING,
      rankingName: 'LE (layer-removal loss)',
    },
    options,
    env,
  );
