/**
 * Composition of a whole-model latency from the cost of one decoder block. Every latency model (roofline,
 * calibrated, live HIL measurements) prices one block at a given width; this module sums the executed layers
 * of a shape (anchor layers at full width, non-anchor layers at the level's width, dropped sub-layers
 * omitted), adds the LM head and prices the TLM through the tlm-mobilebert architecture.
 *
 * A shape's executed layers collapse into at most six groups of identical (sub-)layers, computed once per
 * shape and cached, so each call is a handful of block evaluations: O(1), no loop over layers. The cache is
 * keyed by the shape object first, so shapes must not be mutated after use (fullShape/elasticShape freeze theirs).
 */
import { getArchitecture } from './architectures.ts';
import { shapeKey } from './levels.ts';
import { headParams, layerGroups, layerParams, loraParams } from './params.ts';
import type { Architecture, ExecShape } from './types.ts';

/**
 * Cost of ONE decoder block (layer) at a width. P = active weight parameters of the block in millions
 * (q, k, v, o at the active heads/KV groups, the FFN matrices at the active width, plus the LoRA branches if
 * the shape has LoRA); K = active query attention width (heads × headDim) in thousands.
 */
export interface BlockCost {
  prefillMs(P: number, K: number, tokens: number): number;
  decodeMs(P: number, K: number, context: number): number;
  /**
   * Σ_{j<steps} decodeMs(P, K, start + j). Optional: without it the sum uses the trapezoid rule, which is
   * exact when decodeMs is affine in the context (the calibrated form). Non-affine blocks must provide it.
   */
  decodeSumMs?(P: number, K: number, start: number, steps: number): number;
}

/**
 * Contextual sparsity (LLMLingua-2 + Deja-Vu baseline): computing a fraction `d` of the FFN neurons costs
 * like d × penalty of the dense MLP, because gathered rows lose the dense kernel's efficiency, and in prefill
 * every token selects different neurons so the batched GEMM degenerates (the paper: "sparse kernels are slow
 * and prefill gains are poor"). Priors; the predictor (hidden → 128 → FFN per layer) is added on top.
 */
export const SPARSE_PENALTY = { prefill: 2.0, decode: 1.25 } as const;
const PREDICTOR_RANK = 128;

interface Piece {
  count: number;
  /** Millions of parameters as priced in prefill and in decode (they differ only under sparsity). */
  prefillP: number;
  decodeP: number;
  /** Thousands of query attention channels (0 for an MLP-only sub-layer). */
  K: number;
}

interface Plan {
  pieces: Piece[];
  headP: number;
}

function planShape(arch: Architecture, shape: ExecShape): Plan {
  const pieces: Piece[] = [];
  for (const g of layerGroups(arch, shape)) {
    const p = layerParams(arch, g.dims);
    const l = shape.lora ? loraParams(arch, g.dims) : { attn: 0, mlp: 0 };
    const attn = g.attn ? p.attn + l.attn : 0;
    let mlpPrefill = g.mlp ? p.mlp + l.mlp : 0;
    let mlpDecode = mlpPrefill;
    if (g.mlp && shape.ffnDensity < 1) {
      const predictor = PREDICTOR_RANK * (arch.hidden + g.dims.ffn);
      mlpPrefill = mlpPrefill * Math.min(1, shape.ffnDensity * SPARSE_PENALTY.prefill) + predictor;
      mlpDecode = mlpDecode * Math.min(1, shape.ffnDensity * SPARSE_PENALTY.decode) + predictor;
    }
    pieces.push({
      count: g.count,
      prefillP: (attn + mlpPrefill) / 1e6,
      decodeP: (attn + mlpDecode) / 1e6,
      K: g.attn ? g.dims.attnDim / 1e3 : 0,
    });
  }
  return { pieces, headP: headParams(arch) / 1e6 };
}

/** The latency pieces a LatencyModel is built from (switching and memory come from elsewhere). */
export interface ComposedLatency {
  prefillMs(shape: ExecShape, promptTokens: number): number;
  decodeStepMs(shape: ExecShape, contextTokens: number): number;
  decodeMs(shape: ExecShape, contextStart: number, steps: number): number;
  tlmMs(tokens: number): number;
}

export interface ComposeOptions {
  /** Block cost for the TLM when it runs differently from the LLM (e.g. fp32 while the LLM is fp16). */
  tlmBlock?: BlockCost;
}

export function composeFromBlocks(arch: Architecture, block: BlockCost, opts: ComposeOptions = {}): ComposedLatency {
  const byObject = new WeakMap<ExecShape, Plan>();
  const byKey = new Map<string, Plan>();
  const plan = (shape: ExecShape): Plan => {
    let p = byObject.get(shape);
    if (p) return p;
    const key = shapeKey(shape);
    p = byKey.get(key);
    if (!p) {
      // shapes of other architectures (PFS swaps in OPT models) are priced with their own dimensions
      p = planShape(shape.arch === arch.id ? arch : getArchitecture(shape.arch), shape);
      byKey.set(key, p);
    }
    byObject.set(shape, p);
    return p;
  };
  const decodeSum = (P: number, K: number, start: number, steps: number): number =>
    block.decodeSumMs
      ? block.decodeSumMs(P, K, start, steps)
      : (steps * (block.decodeMs(P, K, start) + block.decodeMs(P, K, start + steps - 1))) / 2;

  const tlm = tlmComposer(opts.tlmBlock ?? block);
  return {
    prefillMs(shape, promptTokens) {
      if (promptTokens <= 0) return 0;
      const p = plan(shape);
      let ms = block.prefillMs(p.headP, 0, 1); // logits of the last position only
      for (const x of p.pieces) ms += x.count * block.prefillMs(x.prefillP, x.K, promptTokens);
      return ms;
    },
    decodeStepMs(shape, contextTokens) {
      const p = plan(shape);
      let ms = block.decodeMs(p.headP, 0, 0);
      for (const x of p.pieces) ms += x.count * block.decodeMs(x.decodeP, x.K, contextTokens);
      return ms;
    },
    decodeMs(shape, contextStart, steps) {
      if (steps <= 0) return 0;
      const p = plan(shape);
      let ms = steps * block.decodeMs(p.headP, 0, 0);
      for (const x of p.pieces) ms += x.count * decodeSum(x.decodeP, x.K, contextStart, steps);
      return ms;
    },
    tlmMs: tlm,
  };
}

/**
 * The TLM: 12 shared + 12 score-head layers run over every 512-token window of the input (the score head
 * rates every token), the 12 decision-head layers over the first window only (its input is truncated).
 */
function tlmComposer(block: BlockCost): (tokens: number) => number {
  const tlm = getArchitecture('tlm-mobilebert');
  const dims = { heads: tlm.heads, kvHeads: tlm.kvHeads, attnDim: tlm.bottleneck ?? tlm.hidden, ffn: tlm.ffn };
  const lp = layerParams(tlm, dims);
  const P = (lp.attn + lp.mlp) / 1e6;
  const K = dims.attnDim / 1e3;
  const embedP = (3 * (tlm.embedDim ?? tlm.hidden) * tlm.hidden) / 1e6; // 3-gram embedding transform
  const perBranch = tlm.layers / 3;
  const window = tlm.window ?? 512;
  const scorePath = (n: number): number => (n > 0 ? 2 * perBranch * block.prefillMs(P, K, n) + block.prefillMs(embedP, 0, n) : 0);
  const fullWindow = scorePath(window);
  return (tokens: number): number => {
    if (tokens <= 0) return 0;
    const whole = Math.floor(tokens / window);
    const rest = tokens - whole * window;
    return whole * fullWindow + scorePath(rest) + perBranch * block.prefillMs(P, K, Math.min(tokens, window));
  };
}
