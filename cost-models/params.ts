/**
 * Parameter counts, bytes and FLOPs of architectures and of what a shape executes. Every count is derived
 * from the dimensions, so sub-model levels, dropped layers and LoRA branches fall out of the same formulas.
 */
import { InputError } from '../base/errors.ts';
import { isElastic } from './architectures.ts';
import { getPrecision, listPrecisions } from './precisions.ts';
import { fullDims, subModelDims, type LayerDims } from './levels.ts';
import type { Architecture, Dtype, ExecShape } from './types.ts';

/** Rank of ElastiLM's (and LLM-Pruner's) LoRA side branches (elastilm.md §4.3). */
export const LORA_RANK = 8;

/** Every registered precision (cost-models/precisions.ts). */
export const DTYPES = listPrecisions().map((p) => p.id) as Dtype[];

export function bytesPerParam(dtype: Dtype): number {
  return getPrecision(dtype).bitsPerWeight / 8;
}

/** Parameters of one layer split into its attention and MLP sub-layers (norms and biases included). */
export interface SubLayerParams {
  attn: number;
  mlp: number;
}

export function layerParams(arch: Architecture, d: LayerDims): SubLayerParams {
  const h = arch.hidden;
  const kvDim = d.kvHeads * arch.headDim;
  if (arch.family === 'mobilebert') {
    const b = arch.bottleneck ?? h;
    const stack = arch.ffnStack ?? 1;
    // input and attention bottlenecks (h→b), q and k on the bottleneck, v from the full hidden, output b→b
    const attn = 2 * (h * b + b) + 2 * (b * b + b) + (h * b + b) + (b * b + b) + 2 * b;
    // the FFN stack runs at the bottleneck width, then the output bottleneck goes back to h
    const mlp = stack * (b * d.ffn + d.ffn + d.ffn * b + b + 2 * b) + (b * h + h + 2 * h);
    return { attn, mlp };
  }
  const qkvo = h * d.attnDim + 2 * h * kvDim + d.attnDim * h;
  if (arch.family === 'opt') {
    // OPT: biased projections and two LayerNorms (weight + bias)
    return { attn: qkvo + d.attnDim + 2 * kvDim + h + 2 * h, mlp: 2 * h * d.ffn + d.ffn + h + 2 * h };
  }
  const ffnMats = arch.gatedFfn ? 3 : 2;
  return { attn: qkvo + h, mlp: ffnMats * h * d.ffn + h };
}

/** Rank-8 LoRA side branches on q, k, v, o (attention) and gate, up, down (MLP): r·(in + out) each. */
export function loraParams(arch: Architecture, d: LayerDims): SubLayerParams {
  const h = arch.hidden;
  const kvDim = d.kvHeads * arch.headDim;
  const attn = LORA_RANK * ((h + d.attnDim) + 2 * (h + kvDim) + (d.attnDim + h));
  const mlp = LORA_RANK * (arch.gatedFfn ? 3 : 2) * (h + d.ffn);
  return { attn, mlp };
}

/** Weights the output head multiplies per generated token (LM head, plus OPT-350M's 1024→512 projection). */
export function headParams(arch: Architecture): number {
  const e = arch.embedDim ?? arch.hidden;
  if (arch.family === 'mobilebert') return 0; // the score/decision heads are a few thousand weights
  return arch.vocab * e + (e !== arch.hidden ? e * arch.hidden : 0);
}

/** Stored weights outside the layers: embeddings, positions, projections, final norm, untied LM head. */
export function nonLayerParams(arch: Architecture): number {
  const h = arch.hidden;
  const e = arch.embedDim ?? h;
  const tokens = arch.vocab * e;
  const positions = (arch.positionRows ?? 0) * h;
  if (arch.family === 'mobilebert') return tokens + 3 * e * h + h + positions + 2 * h + 2 * h;
  const projections = e !== h ? 2 * e * h : 0;
  const finalNorm = arch.family === 'opt' ? 2 * h : h;
  const lmHead = arch.tiedEmbeddings ? 0 : arch.vocab * h;
  return tokens + positions + projections + finalNorm + lmHead;
}

/** Groups of identical executed layers of a shape: anchors at full width, the rest at the level's width. */
export interface LayerGroup {
  count: number;
  dims: LayerDims;
  attn: boolean;
  mlp: boolean;
}

export function checkShape(arch: Architecture, s: ExecShape): void {
  const where = `shape of "${s.arch}"`;
  if (s.arch !== arch.id) throw new InputError(where, `does not belong to model "${arch.id}"`);
  for (const [k, v] of [['attnLayers', s.attnLayers], ['mlpLayers', s.mlpLayers]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > arch.layers) throw new InputError(where, `${k} ${v} is not an integer in 0..${arch.layers}`);
  }
  if (!(s.ffnDensity > 0 && s.ffnDensity <= 1)) throw new InputError(where, `ffnDensity ${s.ffnDensity} is not in (0, 1]`);
  if (s.modelRatio < 1 && !isElastic(arch)) throw new InputError(where, `model ratio ${s.modelRatio} on a model without elastic levels`);
}

/**
 * Executed layers of a shape. Layer-dropping methods drop non-anchor layers first (their rankings put the
 * anchors, the most important layers, last), and attention and MLP sub-layers are paired up as far as the
 * counts allow, so a layer missing one sub-layer still pays its own fixed cost.
 */
export function layerGroups(arch: Architecture, s: ExecShape): LayerGroup[] {
  checkShape(arch, s);
  const anchors = arch.anchorLayers.length;
  const groups: LayerGroup[] = [];
  const add = (count: number, dims: LayerDims, attn: boolean, mlp: boolean): void => {
    if (count > 0) groups.push({ count, dims, attn, mlp });
  };
  const split = (attnRun: number, mlpRun: number, dims: LayerDims): void => {
    const both = Math.min(attnRun, mlpRun);
    add(both, dims, true, true);
    add(attnRun - both, dims, true, false);
    add(mlpRun - both, dims, false, true);
  };
  const aAnchor = Math.min(anchors, s.attnLayers);
  const mAnchor = Math.min(anchors, s.mlpLayers);
  split(aAnchor, mAnchor, fullDims(arch));
  split(s.attnLayers - aAnchor, s.mlpLayers - mAnchor, subModelDims(arch, s.modelRatio));
  return groups;
}

/** Parameters in the executed layers of a shape, with and without LoRA. */
function executedLayerParams(arch: Architecture, s: ExecShape): { weights: number; lora: number } {
  let weights = 0;
  let lora = 0;
  for (const g of layerGroups(arch, s)) {
    const p = layerParams(arch, g.dims);
    const l = loraParams(arch, g.dims);
    weights += g.count * ((g.attn ? p.attn : 0) + (g.mlp ? p.mlp : 0));
    if (s.lora) lora += g.count * ((g.attn ? l.attn : 0) + (g.mlp ? l.mlp : 0));
  }
  return { weights, lora };
}

/** All stored weights of the architecture at full size (what a checkpoint holds). */
export function archParams(arch: Architecture): number {
  const p = layerParams(arch, fullDims(arch));
  return arch.layers * (p.attn + p.mlp) + nonLayerParams(arch);
}

/** Weights a shape actually uses: executed layers + embeddings/LM head + its LoRA branches. */
export function shapeParams(arch: Architecture, s: ExecShape): number {
  const { weights, lora } = executedLayerParams(arch, s);
  return weights + lora + nonLayerParams(arch);
}

/** Bytes of the weights a shape uses; LoRA branches are stored in `loraDtype` (fp32 on the device). */
export function shapeBytes(arch: Architecture, s: ExecShape, dtype: Dtype, loraDtype: Dtype = 'fp32'): number {
  const { weights, lora } = executedLayerParams(arch, s);
  return (weights + nonLayerParams(arch)) * bytesPerParam(dtype) + lora * bytesPerParam(loraDtype);
}

/**
 * FLOPs to process one token with `contextTokens` already in the KV cache: 2 per weight multiplied (layers,
 * LoRA, LM head; embeddings are a lookup) plus attention's 4·context·attnDim per attention layer. Contextual
 * sparsity scales the MLP weights by ffnDensity (ideal kernels; the latency models add their penalty).
 */
export function shapeFlopsPerToken(arch: Architecture, s: ExecShape, contextTokens = 0): number {
  let flops = 2 * headParams(arch);
  for (const g of layerGroups(arch, s)) {
    const p = layerParams(arch, g.dims);
    const l = s.lora ? loraParams(arch, g.dims) : { attn: 0, mlp: 0 };
    if (g.attn) flops += g.count * (2 * (p.attn + l.attn) + 4 * contextTokens * g.dims.attnDim);
    if (g.mlp) flops += g.count * 2 * (p.mlp + l.mlp) * s.ffnDensity;
  }
  return flops;
}

/** Decoder weights of a level as a share of the full decoder (≈0.27-0.31 at "0.2", elastilm.md §4.1). */
export function realComputeFraction(arch: Architecture, modelRatio: number): number {
  const layers = (r: number): number => {
    const s = { arch: arch.id, modelRatio: r, attnLayers: arch.layers, mlpLayers: arch.layers, ffnDensity: 1, lora: false };
    return executedLayerParams(arch, s).weights;
  };
  return layers(modelRatio) / layers(1);
}
