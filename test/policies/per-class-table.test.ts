/**
 * Each baseline's choice on the six trace SLO classes against the per-class table of elastilm.md §4.5
 * (LLaMA-7B), the full level lists it gives for LE (32 and 26 layers) and AttnDrop (32 layers), and the PFS
 * rule for Orca-mini-3B.
 */
import { describe, it, expect } from 'vitest';
import type { Config, Decision } from '../../sim/types.ts';
import { MODEL_RATIOS } from '../../cost-models/types.ts';
import { harness, ratioSlo, TRACE_CLASSES } from './harness.ts';
import { slicedLayerCount } from '../../sim/policies/layer-slice.ts';
import { attnDropSearch } from '../../sim/policies/attn-drop.ts';
import type { LayerSlicePolicy } from '../../sim/policies/layer-slice.ts';

function asConfig(d: Decision): Config {
  if ('reject' in d) throw new Error(`rejected: ${d.reject}`);
  return d;
}

function perClass(name: string, model = 'llama-7b', options: Record<string, unknown> = {}): Config[] {
  const h = harness(name, model, options);
  return TRACE_CLASSES.map((c) => asConfig(h.decide(ratioSlo(c.ttft, c.tpot))));
}

describe('§4.5 per-class table, LLaMA-7B', () => {
  it('PFS: OPT-2.7B for m ≥ 0.5, OPT-1.3B below, never the full model; nominal ratio m, small model at ratio 1', () => {
    const c = perClass('pfs');
    expect(c.map((x) => x.accuracyModel)).toEqual(['opt-2.7b', 'opt-2.7b', 'opt-2.7b', 'opt-1.3b', 'opt-1.3b', 'opt-1.3b']);
    expect(c.map((x) => x.shape.arch)).toEqual(['opt-2.7b', 'opt-2.7b', 'opt-2.7b', 'opt-1.3b', 'opt-1.3b', 'opt-1.3b']);
    expect(c.map((x) => x.modelRatio)).toEqual([1, 0.8, 0.6, 0.4, 0.2, 0.2]);
    expect(c.every((x) => x.accuracyModelRatio === 1 && x.promptRatio === 1)).toBe(true);
  });

  it('LPruner: its own sub-model + LoRA at ζ_TTFT, full prompt', () => {
    const c = perClass('llm-pruner');
    expect(c.map((x) => x.modelRatio)).toEqual([1, 0.8, 0.6, 0.4, 0.2, 0.2]);
    expect(c.map((x) => x.shape.modelRatio)).toEqual([1, 0.8, 0.6, 0.4, 0.2, 0.2]);
    expect(c.map((x) => x.shape.lora)).toEqual([false, true, true, true, true, true]);
    expect(c.every((x) => x.promptRatio === 1 && x.shape.attnLayers === 32 && x.shape.arch === 'llama-7b')).toBe(true);
  });

  for (const name of ['layer-reduction', 'shortgpt']) {
    it(`${name}: 31 / 24 / 18 / 11 / 5 / 5 layers (the off-by-one keeps 31 at m = 1.0)`, () => {
      const c = perClass(name);
      expect(c.map((x) => x.shape.attnLayers)).toEqual([31, 24, 18, 11, 5, 5]);
      expect(c.map((x) => x.shape.mlpLayers)).toEqual([31, 24, 18, 11, 5, 5]);
      expect(c.map((x) => x.modelRatio)).toEqual([1, 0.8, 0.6, 0.4, 0.2, 0.2]);
      expect(c.every((x) => x.promptRatio === 1 && x.shape.modelRatio === 1 && x.shape.ffnDensity === 1)).toBe(true);
    });
  }

  it('AttnDrop: (a, b) = (0,0) (0,10) (0,20) (0,29) (15,31) (15,31)', () => {
    const c = perClass('attn-drop');
    expect(c.map((x) => [32 - x.shape.attnLayers, 32 - x.shape.mlpLayers])).toEqual([
      [0, 0], [0, 10], [0, 20], [0, 29], [15, 31], [15, 31],
    ]);
  });

  it('LaCo: ratio m, ⌊r·L⌋ full layers, the full model at 1.0', () => {
    const c = perClass('laco');
    expect(c.map((x) => x.modelRatio)).toEqual([1, 0.8, 0.6, 0.4, 0.2, 0.2]);
    expect(c.map((x) => x.shape.attnLayers)).toEqual([32, 25, 19, 12, 6, 6]);
  });

  it('LG2+CS: (prompt, MLP density) = (ζ_TTFT, ζ_TPOT)', () => {
    const c = perClass('lingua2-cs');
    expect(c.map((x) => [x.promptRatio, x.shape.ffnDensity])).toEqual([
      [1, 1], [0.8, 0.9], [0.6, 0.8], [0.4, 0.7], [0.2, 0.6], [0.2, 0.5],
    ]);
    expect(c.map((x) => x.modelRatio)).toEqual([1, 0.9, 0.8, 0.7, 0.6, 0.5]);
    expect(c.every((x) => x.shape.attnLayers === 32 && x.shape.mlpLayers === 32 && x.shape.modelRatio === 1)).toBe(true);
  });
});

describe('§4.5 level lists', () => {
  it('LE keeps 5/8/11/15/18/21/24/27/31 of 32 and 4/6/9/12/14/17/19/22/25 of 26 layers', () => {
    expect(MODEL_RATIOS.map((m) => slicedLayerCount(32, m, true))).toEqual([5, 8, 11, 15, 18, 21, 24, 27, 31]);
    expect(MODEL_RATIOS.map((m) => slicedLayerCount(26, m, true))).toEqual([4, 6, 9, 12, 14, 17, 19, 22, 25]);
  });

  it('faithful: false keeps ⌊L·m⌋ layers, so m = 1.0 runs every layer', () => {
    expect(MODEL_RATIOS.map((m) => slicedLayerCount(32, m, false))).toEqual([6, 9, 12, 16, 19, 22, 25, 28, 32]);
    const c = perClass('layer-reduction', 'llama-7b', { faithful: false });
    expect(c[0]!.shape.attnLayers).toBe(32);
  });

  it('AttnDrop over all nine levels of a 32-layer model', () => {
    expect(MODEL_RATIOS.map((m) => attnDropSearch(32, m))).toEqual([
      { attn: 15, mlp: 31 }, { attn: 6, mlp: 31 }, { attn: 0, mlp: 29 }, { attn: 0, mlp: 24 }, { attn: 0, mlp: 20 },
      { attn: 0, mlp: 15 }, { attn: 0, mlp: 10 }, { attn: 0, mlp: 5 }, { attn: 0, mlp: 0 },
    ]);
  });

  it('LE keeps the most important layers of its ranking (LLaMA-7B at m = 0.2: the anchors 0, 1, 4, 5, 31)', () => {
    const h = harness('layer-reduction', 'llama-7b');
    expect((h.policy as LayerSlicePolicy).layersAt(0.2)).toEqual([0, 1, 4, 5, 31]);
  });
});

describe('other models', () => {
  it('Orca-mini-3B: PFS picks OPT-1.3B for m ≥ 0.5, OPT-350M below; LE keeps 25/19/14/9/4/4 of 26', () => {
    expect(perClass('pfs', 'orca-mini-3b').map((x) => x.accuracyModel)).toEqual([
      'opt-1.3b', 'opt-1.3b', 'opt-1.3b', 'opt-350m', 'opt-350m', 'opt-350m',
    ]);
    expect(perClass('layer-reduction', 'orca-mini-3b').map((x) => x.shape.attnLayers)).toEqual([25, 19, 14, 9, 4, 4]);
  });

  it('PFS with faithful: false runs the full LLM at m = 1.0 and keeps the OPT rule below', () => {
    const c = perClass('pfs', 'vicuna-7b', { faithful: false });
    expect(c[0]!.shape.arch).toBe('vicuna-7b');
    expect(c[0]!.accuracyModel).toBe('vicuna-7b');
    expect(c.slice(1).map((x) => x.accuracyModel)).toEqual(['opt-2.7b', 'opt-2.7b', 'opt-1.3b', 'opt-1.3b', 'opt-1.3b']);
  });
});
