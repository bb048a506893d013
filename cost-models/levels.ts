/**
 * ElastiLM's 9 nested sub-model levels: which attention heads (or GQA KV groups) and FFN neurons each
 * non-anchor layer keeps at a nominal model ratio, and the ExecShapes built from them.
 *
 * A nominal ratio r maps to LLM-Pruner's per-layer pruning ratio p (elastilm.md §4.1). LLM-Pruner keeps
 * ⌊C·(1−p)⌋ FFN channels (float64 arithmetic: Orca's 8640 at p = 0.9 keeps 863, as the device table says) and
 * removes attention in whole units (heads, or KV groups for GQA) rounding the pruned count down, i.e. keeps
 * ⌈⌊C_attn·(1−p)⌋ / unit⌉ units. Anchor layers are never pruned.
 */
import { InputError } from '../base/errors.ts';
import { isElastic } from './architectures.ts';
import { MODEL_RATIOS, type Architecture, type ExecShape } from './types.ts';

/** LLM-Pruner `--pruning_ratio` per nominal level, index-aligned with MODEL_RATIOS. */
export const PRUNE_RATIOS = [0.9, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125, 0] as const;

export interface LayerDims {
  /** Query heads kept. */
  heads: number;
  /** KV heads kept (whole groups for GQA; equal to heads for multi-head attention). */
  kvHeads: number;
  /** Query attention width = heads × headDim. */
  attnDim: number;
  /** FFN neurons kept. */
  ffn: number;
}

/** Index of a nominal ratio in MODEL_RATIOS; an InputError for anything else. */
export function levelIndex(modelRatio: number): number {
  const i = MODEL_RATIOS.findIndex((r) => Math.abs(r - modelRatio) < 1e-9);
  if (i < 0) throw new InputError(`model ratio ${modelRatio}`, `not a level; levels are ${MODEL_RATIOS.join(', ')}`);
  return i;
}

export function fullDims(arch: Architecture): LayerDims {
  return { heads: arch.heads, kvHeads: arch.kvHeads, attnDim: arch.heads * arch.headDim, ffn: arch.ffn };
}

/** Dimensions of a non-anchor layer at `modelRatio` (LLM-Pruner rounding, see the module comment). */
export function subModelDims(arch: Architecture, modelRatio: number): LayerDims {
  const p = PRUNE_RATIOS[levelIndex(modelRatio)]!;
  if (p === 0) return fullDims(arch);
  if (!isElastic(arch)) throw new InputError(`model "${arch.id}"`, `has no elastic levels (only ratio 1.0)`);
  const keep = 1 - p;
  const groupSize = arch.heads / arch.kvHeads;
  const kvChannelsKept = Math.floor(arch.kvHeads * arch.headDim * keep);
  const kvHeads = Math.max(1, Math.ceil(kvChannelsKept / arch.headDim));
  const heads = kvHeads * groupSize;
  return { heads, kvHeads, attnDim: heads * arch.headDim, ffn: Math.floor(arch.ffn * keep) };
}

/** Shapes are values: latency models cache per shape object, so the ones built here are frozen. */
export function fullShape(arch: Architecture): ExecShape {
  return Object.freeze({ arch: arch.id, modelRatio: 1, attnLayers: arch.layers, mlpLayers: arch.layers, ffnDensity: 1, lora: false });
}

/**
 * An ElastiLM sub-model. The full level (1.0) never carries a LoRA (the artifact trains 8, for 0.2..0.9),
 * so `lora` is ignored there.
 */
export function elasticShape(arch: Architecture, modelRatio: number, lora: boolean): ExecShape {
  const r = MODEL_RATIOS[levelIndex(modelRatio)]!;
  if (r < 1 && !isElastic(arch)) throw new InputError(`model "${arch.id}"`, `has no elastic levels (only ratio 1.0)`);
  return Object.freeze({ ...fullShape(arch), modelRatio: r, lora: lora && r < 1 });
}

/**
 * The one constructor of shapes other than the nested levels: the full model of `arch` with some parts
 * changed (layers dropped, a sparse FFN). Frozen, like every shape built here, because latency models
 * cache by shape object and the service reuses a returned config's prices.
 */
export function shapeOf(arch: Architecture, parts: Partial<Omit<ExecShape, 'arch'>>): ExecShape {
  return Object.freeze({ ...fullShape(arch), ...parts });
}

/** A stable string identifying what executes (two shapes with the same key cost the same). */
export function shapeKey(s: ExecShape): string {
  return `${s.arch}|${s.modelRatio}|${s.attnLayers}|${s.mlpLayers}|${s.ffnDensity}|${s.lora ? 1 : 0}`;
}
