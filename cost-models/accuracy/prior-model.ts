/**
 * The parametric family behind the shipped prior surfaces. For an elastic model on dataset d:
 *
 *   quality = chance_d + (full_{model,d} − chance_d) · A_method(x) · B_method(p)
 *   A(x) = 1 − min(1, κ_d·λ_method) · (1 − S(x; c, s))      model axis (x: kept fraction on the method's axis)
 *   B(p) = 1 − min(1, π_d·μ_prompt) · (1 − S(p; c', s'))     prompt axis
 *
 * S is a logistic rescaled to run from 0 at 0 to 1 at 1, so every factor is non-decreasing and in [0, 1]:
 * quality is monotone in both ratios and lies in [chance, full]. κ_d / π_d are how much a dataset suffers
 * from a smaller model / a shorter prompt; λ, μ ≥ 1 make a method harsher than ElastiLM's. full is a public
 * number whose above-chance margin is scaled by a per-dataset harness factor h_d (5-shot, mean per-token
 * log-prob in the paper's harness vs lm-eval 0-shot). PFS runs a fixed OPT model: its full accuracy times B.
 */
import { MODEL_RATIOS, PROMPT_RATIOS } from '../types.ts';
import type { AccuracyQuery, AccuracySurface } from './types.ts';
import {
  DATASETS,
  ELASTIC_MODELS,
  LAYERS,
  METHODS,
  PFS_MODELS,
  PUBLISHED_FULL,
  chanceLevelOf,
  isDataset,
  type Dataset,
  type ElasticModel,
  type Method,
  type PfsModel,
} from './catalogue.ts';

/** One fitted parameter: start value (the prior before the fit), bounds, and how strongly it is held there. */
export interface ParamSpec {
  name: string;
  init: number;
  min: number;
  max: number;
  /** Scale of the regularising pull toward `init` (larger = looser). */
  sigma: number;
}

const shape = (k: string, c: number, s: number, sigmaC = 0.3, sigmaS = 10): ParamSpec[] => [
  { name: `${k}.center`, init: c, min: 0.02, max: 0.95, sigma: sigmaC },
  { name: `${k}.steepness`, init: s, min: 0.5, max: 40, sigma: sigmaS },
];
const severity = (k: string, init: number): ParamSpec => ({ name: `${k}.severity`, init, min: 1, max: 12, sigma: 4 });
const perDataset = (k: string, init: Record<Dataset, number>, min: number, max: number, sigma: number): ParamSpec[] =>
  DATASETS.map((d) => ({ name: `${k}.${d}`, init: init[d], min, max, sigma }));

/** The layer-dropping and sparsity baselines: their own model-axis shape and severity. */
export const SHAPED_BASELINES = ['layer-reduction', 'shortgpt', 'laco', 'attn-drop', 'lingua2-cs'] as const;

export const PARAM_SPECS: readonly ParamSpec[] = [
  // ElastiLM sub-models (reordered, LoRA-recovered) degrade gently; LLM-Pruner runs the same sub-models
  ...shape('elastilm.model', 0.2, 5),
  // layer dropping collapses below ~50 %
  ...shape('layer-reduction.model', 0.5, 10),
  severity('layer-reduction.model', 3),
  ...shape('shortgpt.model', 0.5, 10),
  severity('shortgpt.model', 3),
  ...shape('laco.model', 0.45, 10),
  severity('laco.model', 2.5),
  ...shape('attn-drop.model', 0.5, 10),
  severity('attn-drop.model', 2.5),
  // contextual sparsity on FFN neurons (ζ_TPOT of them kept)
  ...shape('lingua2-cs.model', 0.45, 8),
  severity('lingua2-cs.model', 2),
  // score-head / LLMLingua-2 prompt compression (the paper finds them on par, Fig 13a)
  ...shape('compress.prompt', 0.1, 6),
  // naive truncation of the system prompt (methods that do not compress; the score-head ablation)
  ...shape('truncate.prompt', 0.35, 6),
  severity('truncate.prompt', 2),
  ...perDataset('kappa', { OBQA: 0.5, ARC_E: 0.6, octopus: 0.6, llamatouch: 0.7, PIQA: 0.35, SCIQ: 0.35 }, 0.05, 1, 0.4),
  ...perDataset('pi', { OBQA: 0.3, ARC_E: 0.3, octopus: 0.6, llamatouch: 0.6, PIQA: 0.2, SCIQ: 0.2 }, 0.15, 1, 0.4),
  ...perDataset('harness', { OBQA: 0.9, ARC_E: 0.8, octopus: 1, llamatouch: 1, PIQA: 0.9, SCIQ: 0.9 }, 0.6, 1, 0.3),
];

export type Params = Record<string, number>;

export function paramsFromVector(v: ArrayLike<number>): Params {
  const p: Params = {};
  PARAM_SPECS.forEach((s, i) => (p[s.name] = v[i]!));
  return p;
}

export function initialParams(): Params {
  return paramsFromVector(PARAM_SPECS.map((s) => s.init));
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Logistic through (c, ½) with slope s, rescaled to S(0) = 0, S(1) = 1. */
export function rescaledLogistic(x: number, c: number, s: number): number {
  const lo = sigmoid(-s * c);
  const hi = sigmoid(s * (1 - c));
  return (sigmoid(s * (x - c)) - lo) / (hi - lo);
}

/** LayerReduction / ShortGPT keep `−int(1 − L·m)` layers (reference §4.5), even dropping one at m = 1. */
export function keptLayerFraction(modelRatio: number, layers: number): number {
  const kept = Math.max(1, Math.floor(layers * modelRatio - 1 + 1e-9));
  return kept / layers;
}

const round4 = (v: number) => Math.round(v * 1e4) / 1e4;
const MEMO_MODELS: readonly string[] = [...ELASTIC_MODELS, ...PFS_MODELS];

/** Quality from parameters, answered analytically (the fit's view; the shipped grids are this, rounded). */
export class PriorModel implements AccuracySurface {
  private readonly modelShape = new Map<string, { c: number; s: number; lambda: number }>();
  private readonly promptShape = new Map<string, { c: number; s: number; mu: number }>();
  private readonly perDataset = new Map<string, { kappa: number; pi: number; harness: number }>();

  constructor(readonly params: Params) {
    const get = (name: string): number => {
      const v = params[name];
      if (v === undefined) throw new Error(`missing prior parameter ${name}`);
      return v;
    };
    for (const kind of ['elastilm', ...SHAPED_BASELINES])
      this.modelShape.set(kind, {
        c: get(`${kind}.model.center`),
        s: get(`${kind}.model.steepness`),
        lambda: kind === 'elastilm' ? 1 : get(`${kind}.model.severity`),
      });
    this.promptShape.set('compress', { c: get('compress.prompt.center'), s: get('compress.prompt.steepness'), mu: 1 });
    this.promptShape.set('truncate', {
      c: get('truncate.prompt.center'),
      s: get('truncate.prompt.steepness'),
      mu: get('truncate.prompt.severity'),
    });
    for (const d of DATASETS) this.perDataset.set(d, { kappa: get(`kappa.${d}`), pi: get(`pi.${d}`), harness: get(`harness.${d}`) });
  }

  /** Harness-level full-model accuracy of an elastic or PFS model on a dataset (unrounded). */
  full(model: ElasticModel | PfsModel, dataset: Dataset): number {
    const c = chanceLevelOf(dataset);
    const published = PUBLISHED_FULL[model]?.[dataset];
    if (!published) throw new RangeError(`no prior for model '${model}'`);
    return c + this.perDataset.get(dataset)!.harness * (published.value - c);
  }

  private modelFactor(kind: string, dataset: Dataset, x: number): number {
    const sh = this.modelShape.get(kind)!;
    const depth = Math.min(1, this.perDataset.get(dataset)!.kappa * sh.lambda);
    return 1 - depth * (1 - rescaledLogistic(x, sh.c, sh.s));
  }

  private promptFactor(kind: 'compress' | 'truncate', dataset: Dataset, p: number): number {
    const sh = this.promptShape.get(kind)!;
    const depth = Math.min(1, this.perDataset.get(dataset)!.pi * sh.mu);
    return 1 - depth * (1 - rescaledLogistic(p, sh.c, sh.s));
  }

  /** Retained fraction of the above-chance margin for a method at (model ratio, prompt ratio). */
  retention(method: Method, model: ElasticModel, dataset: Dataset, m: number, p: number): number {
    switch (method) {
      case 'full':
        return 1;
      case 'elastilm':
        return this.modelFactor('elastilm', dataset, m) * this.promptFactor('compress', dataset, p);
      case 'llm-pruner':
        return this.modelFactor('elastilm', dataset, m) * this.promptFactor('truncate', dataset, p);
      case 'lingua2-cs':
        // sparsity's loss comes on top of what a dense sub-model of the same kept fraction loses
        return this.modelFactor('elastilm', dataset, m) * this.modelFactor('lingua2-cs', dataset, m) * this.promptFactor('compress', dataset, p);
      case 'layer-reduction':
      case 'shortgpt':
        return this.modelFactor(method, dataset, keptLayerFraction(m, LAYERS[model])) * this.promptFactor('truncate', dataset, p);
      case 'laco':
      case 'attn-drop':
        return this.modelFactor(method, dataset, m) * this.promptFactor('truncate', dataset, p);
      case 'pfs':
        throw new Error('pfs has no elastic model');
    }
  }

  /** Memo of grid-point answers (the fit asks the same points many times); NaN = not computed yet. */
  private readonly memo = new Float64Array(METHODS.length * MEMO_MODELS.length * DATASETS.length * 121).fill(NaN);

  quality(q: AccuracyQuery): number {
    const mi = Math.round(q.modelRatio * 10);
    const pi = Math.round(q.promptRatio * 10);
    const a = (METHODS as readonly string[]).indexOf(q.method);
    const b = MEMO_MODELS.indexOf(q.model);
    const d = (DATASETS as readonly string[]).indexOf(q.dataset);
    const onGrid = Math.abs(q.modelRatio * 10 - mi) < 1e-9 && Math.abs(q.promptRatio * 10 - pi) < 1e-9 && mi >= 0 && mi <= 10 && pi >= 0 && pi <= 10;
    const slot = onGrid && a >= 0 && b >= 0 && d >= 0 ? ((a * MEMO_MODELS.length + b) * DATASETS.length + d) * 121 + mi * 11 + pi : -1;
    if (slot >= 0 && !Number.isNaN(this.memo[slot]!)) return this.memo[slot]!;
    const v = this.compute(q);
    if (slot >= 0) this.memo[slot] = v;
    return v;
  }

  private compute(q: AccuracyQuery): number {
    if (!isDataset(q.dataset)) throw new RangeError(`unknown dataset ${q.dataset}`);
    const c = chanceLevelOf(q.dataset);
    if (q.method === 'pfs') {
      const full = this.full(q.model as PfsModel, q.dataset);
      return c + (full - c) * this.promptFactor('truncate', q.dataset, q.promptRatio);
    }
    const model = q.model as ElasticModel;
    return c + (this.full(model, q.dataset) - c) * this.retention(q.method as Method, model, q.dataset, q.modelRatio, q.promptRatio);
  }

  provenance(): Array<Record<string, unknown>> {
    return [{ source: 'prior', parameters: this.params }];
  }

  /** A grid value as shipped: rounded to 4 decimals, then clamped into [chance, rounded full]. */
  shippedValue(q: AccuracyQuery, full: number): number {
    const c = chanceLevelOf(q.dataset);
    return Math.min(round4(full), Math.max(c, round4(this.quality(q))));
  }
}

export interface GridSpec {
  method: Method;
  model: ElasticModel | PfsModel;
  modelRatios: number[];
  promptRatios: number[];
}

const ASC_MODEL = [...MODEL_RATIOS];
const ASC_PROMPT = [...PROMPT_RATIOS].reverse();

/** Every grid the shipped priors cover, in file order. */
export function shippedGrids(): GridSpec[] {
  const grids: GridSpec[] = [];
  const methods: Method[] = ['elastilm', 'full', 'llm-pruner', 'layer-reduction', 'laco', 'shortgpt', 'attn-drop', 'lingua2-cs'];
  for (const method of methods)
    for (const model of ELASTIC_MODELS)
      grids.push(method === 'full' ? { method, model, modelRatios: [1], promptRatios: [1] } : { method, model, modelRatios: ASC_MODEL, promptRatios: ASC_PROMPT });
  for (const model of PFS_MODELS) grids.push({ method: 'pfs', model, modelRatios: [1], promptRatios: ASC_PROMPT });
  return grids;
}

export function roundedFull(prior: PriorModel, model: ElasticModel | PfsModel, dataset: Dataset): number {
  return round4(prior.full(model, dataset));
}
