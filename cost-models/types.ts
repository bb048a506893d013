/**
 * Contracts of the cost-model layer. Everything the simulator knows about time and memory comes through
 * these types; implementations live beside this file (roofline, calibrated, table, hil).
 */

/** Identifier of an architecture in the catalogue (`cost-models/architectures.ts`). */
export type ArchId = string;

/** Static description of a decoder-only transformer (or the TLM encoder). */
export interface Architecture {
  id: ArchId;
  /** Human name and public source of the numbers. */
  name: string;
  source: string;
  family: 'llama' | 'opt' | 'mobilebert';
  layers: number;
  hidden: number;
  heads: number;
  headDim: number;
  kvHeads: number;
  ffn: number;
  vocab: number;
  /** Gated (SwiGLU, 3 FFN matrices) or plain (2 matrices, OPT). */
  gatedFfn: boolean;
  /** Layers that are never pruned by the elastic method (empty for non-elastic models). */
  anchorLayers: number[];
  /** Whether the embedding and LM head share weights (OPT) or not (LLaMA). */
  tiedEmbeddings: boolean;
  /** Width of the token embedding when it differs from `hidden` (OPT-350M: 512, projected in and out). */
  embedDim?: number;
  /** Learned absolute position embeddings (OPT: 2050 rows; LLaMA uses RoPE: none). */
  positionRows?: number;
  /** MobileBERT: width of the bottleneck the attention and FFNs run at (128). */
  bottleneck?: number;
  /** MobileBERT: stacked FFNs per layer (the TLM's config: 3). */
  ffnStack?: number;
  /** Input window in tokens (the TLM's 512); longer inputs are processed in windows. */
  window?: number;
}

/** Nominal model levels of ElastiLM: 0.2, 0.3, ..., 1.0 (index 0 = 0.2, index 8 = 1.0). */
export const MODEL_RATIOS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0] as const;
/** Prompt ratios kept: 1.0, 0.9, ..., 0.1 (the TLM's 10 classes, same order as the paper's dict). */
export const PROMPT_RATIOS = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1] as const;

/**
 * What actually executes for one request: enough for a latency model to price it without knowing which
 * policy produced it. Elastic width applies to non-anchor layers; layer-dropping methods run full-width
 * layers but fewer of them; contextual sparsity computes a fraction of FFN neurons.
 */
export interface ExecShape {
  /** Which weights run (an elastic LLM, or an off-the-shelf small model for PFS). */
  arch: ArchId;
  /** Nominal elastic level applied to non-anchor layers (1 = full width). One of MODEL_RATIOS. */
  modelRatio: number;
  /** Number of layers whose attention sub-layer runs (≤ arch.layers). */
  attnLayers: number;
  /** Number of layers whose MLP sub-layer runs (≤ arch.layers). */
  mlpLayers: number;
  /** Fraction of FFN neurons computed per token (contextual sparsity); 1 = dense. */
  ffnDensity: number;
  /** Rank-8 LoRA side branches on every projection (ElastiLM sub-models below full width, LLMPruner). */
  lora: boolean;
}

/** How a method changes what is resident when it moves from one shape to another. */
export type SwitchKind =
  | 'none' // one fixed model, nothing to switch (full)
  | 'pointer' // ElastiLM: move tensor end pointers + swap the level's LoRA
  | 'relayout' // structured pruning without reordering: copy weights into a new dense layout
  | 'swap' // load another model from flash (PFS)
  | 'layer-drop' // skip layers: pointer-level change of the layer list
  | 'reload'; // separate sub-model weights per ratio (LaCo): load from flash unless resident

/** A weight precision id (cost-models/precisions.ts): fp32, fp16, bf16, int8, int4, q4_0, q8_0, 8da4w, q4f16, w4a16. */
export type Dtype = string;

/** Where a latency model's numbers come from, copied into every run summary. */
export interface Provenance {
  kind: 'roofline' | 'calibrated' | 'table' | 'hil';
  device: string;
  /** Free-form description: the profile file and its own provenance, the URL of an agent, … */
  detail: Record<string, unknown>;
}

/**
 * The single interface the simulator uses for time and memory. All times in milliseconds.
 * Implementations must be monotone non-decreasing in model ratio, prompt tokens and context length,
 * and deterministic (same inputs → same outputs).
 */
export interface LatencyModel {
  readonly provenance: Provenance;
  /** Time to process `promptTokens` tokens and produce the first token. */
  prefillMs(shape: ExecShape, promptTokens: number): number;
  /** Time of one decode step when the KV cache holds `contextTokens` tokens. */
  decodeStepMs(shape: ExecShape, contextTokens: number): number;
  /** Sum of `steps` decode steps starting at context `contextStart` (closed form where possible). */
  decodeMs(shape: ExecShape, contextStart: number, steps: number): number;
  /** Time of one TLM call over `tokens` input tokens (truncated to its window by the model). */
  tlmMs(tokens: number): number;
  /** Time to make `to` runnable when `from` is resident (null: nothing resident yet). */
  switchMs(kind: SwitchKind, from: ExecShape | null, to: ExecShape): number;
}

/** A device as the cost models see it. Numbers carry their source or are marked as priors. */
export interface Device {
  id: string;
  name: string;
  soc: string;
  memoryBytes: number;
  /** Free-form notes on where each number comes from. */
  sources: Record<string, string>;
}
