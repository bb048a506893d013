/**
 * Properties of the seven baselines' decide(), over random SLOs: each config lies in the method's own space,
 * and wherever the artifact's rule can meet an SLO the ratio rule of isolated mode holds.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { MODEL_RATIOS, PROMPT_RATIOS } from '../../cost-models/types.ts';
import { elasticShape, getArchitecture, lacoLayers, pfsModels } from '../../cost-models/index.ts';
import type { Config, Decision } from '../../sim/types.ts';
import { ratioFeasible } from '../../sim/policies/elastic-space.ts';
import { slicedLayerCount } from '../../sim/policies/layer-slice.ts';
import { attnDropSearch } from '../../sim/policies/attn-drop.ts';
import { harness, ratioSlo } from './harness.ts';

const BASELINES = ['pfs', 'llm-pruner', 'layer-reduction', 'laco', 'shortgpt', 'attn-drop', 'lingua2-cs'] as const;
const MODELS = ['llama-7b', 'vicuna-7b', 'llama3-8b', 'llama3-8b-instruct', 'orca-mini-3b'];

const asConfig = (d: Decision): Config => {
  if ('reject' in d) throw new Error(d.reject);
  return d;
};
const near = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9;

/** Whether c is a configuration `name` can run on `model` (its own space, independent of any SLO). */
function inOwnSpace(name: string, model: string, c: Config, faithful: boolean): boolean {
  const arch = getArchitecture(model);
  const L = arch.layers;
  const levelIdx = MODEL_RATIOS.findIndex((r) => near(r, c.modelRatio));
  const dense = c.shape.ffnDensity === 1 && c.shape.modelRatio === 1 && !c.shape.lora;
  switch (name) {
    case 'pfs': {
      const own = faithful ? pfsModels(arch) : [...pfsModels(arch), model];
      return own.includes(c.shape.arch) && c.accuracyModel === c.shape.arch && c.accuracyModelRatio === 1 && c.promptRatio === 1;
    }
    case 'llm-pruner':
      return levelIdx >= 0 && c.promptRatio === 1 && JSON.stringify(c.shape) === JSON.stringify(elasticShape(arch, c.modelRatio, true));
    case 'laco':
      return levelIdx >= 0 && dense && c.promptRatio === 1 && c.shape.attnLayers === lacoLayers(arch, c.modelRatio) && c.shape.mlpLayers === c.shape.attnLayers;
    case 'layer-reduction':
    case 'shortgpt':
      return dense && c.promptRatio === 1 && c.shape.attnLayers === slicedLayerCount(L, c.modelRatio, faithful) && c.shape.mlpLayers === c.shape.attnLayers;
    case 'attn-drop': {
      const d = attnDropSearch(L, c.modelRatio);
      return dense && c.promptRatio === 1 && c.shape.attnLayers === L - d.attn && c.shape.mlpLayers === L - d.mlp;
    }
    case 'lingua2-cs':
      return c.shape.arch === model && c.shape.attnLayers === L && c.shape.mlpLayers === L && c.shape.modelRatio === 1 &&
        near(c.shape.ffnDensity, c.modelRatio) && c.promptRatio >= 0.1 && c.promptRatio <= 1 && c.modelRatio >= 0.2 && c.modelRatio <= 1;
  }
  return false;
}

const gridRatio = fc.constantFrom(...MODEL_RATIOS);
const anyRatio = fc.double({ min: 0.05, max: 1.5, noNaN: true });

describe('baselines stay inside their own space', () => {
  for (const name of BASELINES) {
    for (const faithful of [true, false]) {
      it(`${name} (faithful: ${faithful}) on any SLO and model`, () => {
        const hs = new Map(MODELS.map((m) => [m, harness(name, m, { faithful })]));
        fc.assert(
          fc.property(fc.constantFrom(...MODELS), anyRatio, anyRatio, (model, ttft, tpot) => {
            const c = asConfig(hs.get(model)!.decide(ratioSlo(ttft, tpot)));
            expect(inOwnSpace(name, model, c, faithful)).toBe(true);
          }),
        );
      });
    }
  }
});

describe('isolated-mode ratio rule', () => {
  it('holds for every baseline on every on-grid SLO it can meet', () => {
    const hs = BASELINES.flatMap((n) => MODELS.map((m) => harness(n, m)));
    fc.assert(
      fc.property(fc.nat(hs.length - 1), gridRatio, gridRatio, (k, a, b) => {
        const h = hs[k]!;
        // faithful LPruner configures for ζ_TTFT alone: it can meet an SLO only when ζ_TTFT ≤ ζ_TPOT
        const [ttft, tpot] = h.policy.name === 'llm-pruner' ? [Math.min(a, b), Math.max(a, b)] : [a, b];
        const c = asConfig(h.decide(ratioSlo(ttft, tpot)));
        expect(ratioFeasible(c.promptRatio, c.modelRatio, ttft, tpot)).toBe(true);
      }),
    );
  });

  it('faithful LPruner misses the TPOT of an SLO with ζ_TTFT > ζ_TPOT; faithful: false meets it', () => {
    const slo = ratioSlo(0.9, 0.5);
    const faithful = asConfig(harness('llm-pruner', 'llama-7b').decide(slo));
    const fixed = asConfig(harness('llm-pruner', 'llama-7b', { faithful: false }).decide(slo));
    expect(faithful.modelRatio).toBe(0.9);
    expect(ratioFeasible(faithful.promptRatio, faithful.modelRatio, 0.9, 0.5)).toBe(false);
    expect(fixed.modelRatio).toBe(0.5);
    expect(ratioFeasible(fixed.promptRatio, fixed.modelRatio, 0.9, 0.5)).toBe(true);
  });

  it('off-grid SLOs take the level below for pre-built levels and the exact ratio otherwise', () => {
    const slo = ratioSlo(0.55, 0.75);
    expect(asConfig(harness('laco', 'llama-7b').decide(slo)).modelRatio).toBe(0.5);
    expect(asConfig(harness('llm-pruner', 'llama-7b').decide(slo)).modelRatio).toBe(0.5);
    expect(asConfig(harness('layer-reduction', 'llama-7b').decide(slo)).shape.attnLayers).toBe(16);
    const lg = asConfig(harness('lingua2-cs', 'llama-7b').decide(slo));
    expect([lg.promptRatio, lg.modelRatio]).toEqual([0.55, 0.75]);
  });
});

describe('millisecond SLOs and timed mode', () => {
  it('a millisecond SLO maps to ratios of the full model and gives the same choice as that ratio SLO', () => {
    for (const name of BASELINES) {
      const h = harness(name, 'llama-7b');
      const byRatio = asConfig(h.decide(ratioSlo(0.4, 0.7)));
      const byMs = asConfig(h.decide({ ttft: 0.4 * h.full.ttftMs, tpot: 0.7 * h.full.tpotMs, unit: 'ms' }));
      expect(byMs.shape).toEqual(byRatio.shape);
      expect(byMs.modelRatio).toBeCloseTo(byRatio.modelRatio, 9);
      expect(byMs.promptRatio).toBeCloseTo(byRatio.promptRatio, 9);
    }
  });

  it('baselines keep their rule in timed mode, whatever the request waited', () => {
    for (const name of BASELINES) {
      const h = harness(name, 'llama-7b');
      const isolated = asConfig(h.decide(ratioSlo(0.6, 0.8)));
      const timedLate = asConfig(h.decide(ratioSlo(0.6, 0.8), { mode: 'timed', waitedMs: 1e6 }));
      expect(timedLate).toBe(isolated);
    }
  });
});

describe('option checking', () => {
  it('rejects unknown options and non-boolean faithful with the option named', () => {
    expect(() => harness('laco', 'llama-7b', { faithfull: true })).toThrow(/option "faithfull"/);
    expect(() => harness('pfs', 'llama-7b', { faithful: 'yes' })).toThrow(/faithful/);
  });

  it('a model without rankings is refused by the ranking-based baselines', () => {
    expect(() => harness('shortgpt', 'opt-1.3b')).toThrow(/no layer ranking/);
  });

  it('prompt ratios of lingua2-cs stay on the range the surfaces cover', () => {
    const c = asConfig(harness('lingua2-cs', 'llama-7b').decide(ratioSlo(0.05, 0.1)));
    expect(c.promptRatio).toBe(PROMPT_RATIOS[PROMPT_RATIOS.length - 1]);
    expect(c.modelRatio).toBe(0.2);
  });
});
