/**
 * The JavaScript-facing contract of the native addon (implemented in native/src, loaded by native/index.ts).
 * The HIL agent uses only `info`, `createBlock` and the block timing calls; tests and benchmarks also use
 * the raw kernels. Timings are measured inside C++ with a monotonic clock so no JS overhead is billed.
 */

export type SimdPath = 'neon-fp16' | 'neon' | 'avx2' | 'scalar';

export interface AddonInfo {
  /** Addon version (package version + build flags). */
  version: string;
  /** 'x64' | 'arm64' | … as process.arch would say. */
  arch: string;
  /** The path the kernels dispatch to on this CPU. */
  simd: SimdPath;
  /** Whether fp16 arithmetic runs natively (NEON FP16); on x86 fp16 weights are converted with F16C. */
  fp16Native: boolean;
  /** Hardware threads the pool may use. */
  maxThreads: number;
}

/** Shape of one decoder block at full width (the reordered layout; a level is a prefix). */
export interface BlockSpec {
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  ffn: number;
  dtype: 'fp32' | 'fp16';
  /** KV-cache capacity in tokens. */
  maxContext: number;
  /** Rank of the LoRA side branches; 0 = none. */
  loraRank: number;
  /** Seed of the random weights. */
  seed: number;
}

/** Active part of the block for one call (a sub-model level). */
export interface BlockRun {
  /** Query heads kept (a prefix; for GQA a multiple of heads/kvHeads). */
  activeHeads: number;
  /** FFN neurons kept (a prefix). */
  activeFfn: number;
  threads: number;
}

export interface ElasticBlock {
  /** Runs a prefill of `tokens` tokens through the block; returns elapsed nanoseconds. */
  prefillNs(tokens: number, run: BlockRun): number;
  /** Runs one decode step with `context` tokens already in the KV cache; returns elapsed nanoseconds. */
  decodeNs(context: number, run: BlockRun): number;
  /** Releases the weights and the KV cache. */
  free(): void;
}

export interface ElasticKernels {
  info(): AddonInfo;
  createBlock(spec: BlockSpec): ElasticBlock;
}
