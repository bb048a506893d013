/**
 * Loader of the native kernels (native/src, built by `npm install` / `npm run build:native`). It finds the
 * binary, checks it, and returns the contract of native/api.ts plus the raw kernels that tests and the
 * benchmark use. Nothing here runs at import time: the simulator imports nothing from native/, and callers
 * that can live without the addon use `tryLoadKernels()`.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddonInfo, BlockRun, BlockSpec, ElasticBlock, ElasticKernels, SimdPath } from './api.ts';

export const NOT_BUILT_MESSAGE = 'native addon not built: run npm run build:native; see docs/native.md';

export type Dtype = 'fp32' | 'fp16';
export type ProjectionName = 'q' | 'k' | 'v' | 'o' | 'gate' | 'up' | 'down';

/** A weight matrix owned by the addon: row-major [rows][cols], 64-byte aligned, fp32 or fp16. */
export interface NativeMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly bytes: number;
  /** The stored weights widened to fp32 (fp16 matrices show their rounding). */
  read(): Float32Array;
  free(): void;
}

/**
 * One elastic linear call y = alpha·W x (or y += … with `accumulate`). Reordered form: the first `activeOut`
 * rows and the first `activeIn` columns (defaults: all). Gathered form: `rows` and/or `cols` index lists of
 * kept units (then x has `cols.length` elements per token, y has `rows.length`). x and y are
 * token-major: `tokens` vectors packed back to back. Returns the elapsed nanoseconds measured in C++.
 */
export interface LinearOptions {
  tokens?: number;
  activeIn?: number;
  activeOut?: number;
  rows?: Int32Array;
  cols?: Int32Array;
  threads?: number;
  alpha?: number;
  accumulate?: boolean;
  /**
   * 'wall' (default) or 'cpu': the calling thread's CPU time, which leaves out preemption on a busy
   * machine (threads = 1 only).
   */
  clock?: 'wall' | 'cpu';
}

/** The block of the contract plus read-only views for recomputing it in tests. */
export interface NativeBlock extends ElasticBlock {
  weight(name: ProjectionName): Float32Array;
  lora(name: ProjectionName): { a: Float32Array; b: Float32Array } | null;
  norms(): { attn: Float32Array; ffn: Float32Array };
  /** Token rows [row0, row0+rows) of the block's seeded input. */
  input(row0: number, rows: number): Float32Array;
  /** Token rows of the last outputs (prefill writes rows 0..T-1, decode at context L writes row L). */
  output(row0: number, rows: number): Float32Array;
  /** Copies of the KV cache, [maxContext][kvHeads·headDim] each. */
  kvCache(): { k: Float32Array; v: Float32Array };
}

export interface NativeKernels extends ElasticKernels {
  info(): AddonInfo & { bestSimd: SimdPath };
  createBlock(spec: BlockSpec): NativeBlock;
  /** Forces a path for all later calls (a lower one for tests); throws if the CPU lacks it. */
  setPath(path: SimdPath): void;
  /** The paths this CPU can run, best first. */
  availablePaths(): SimdPath[];
  /** Matrix from data (converted to the dtype) or uniform(-scale, scale) seeded random weights. */
  createMatrix(rows: number, cols: number, dtype: Dtype, init: Float32Array | { seed: number; scale?: number }): NativeMatrix;
  linear(w: NativeMatrix, x: Float32Array, y: Float32Array, options?: LinearOptions): number;
  /** STREAM triad a = b + s·c over three 1×n fp32 matrices; returns nanoseconds (clock as in LinearOptions). */
  triad(a: NativeMatrix, b: NativeMatrix, c: NativeMatrix, s: number, threads: number, clock?: 'wall' | 'cpu'): number;
}

interface RawAddon {
  info(): AddonInfo & { bestSimd: SimdPath };
  setPath(path: string): void;
  linear(w: NativeMatrix, x: Float32Array, y: Float32Array, options: LinearOptions): number;
  triad(a: NativeMatrix, b: NativeMatrix, c: NativeMatrix, s: number, threads: number, clock?: string): number;
  NativeMatrix: new (rows: number, cols: number, dtype: Dtype, init: Float32Array | number, scale?: number) => NativeMatrix;
  NativeBlock: new (spec: BlockSpec) => NativeBlock;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** Where the binary may be, first match wins: $ELASTITWIN_ADDON, a prebuild for this platform, local builds. */
export function addonCandidates(): string[] {
  const fromEnv = process.env.ELASTITWIN_ADDON;
  return [
    ...(fromEnv ? [path.resolve(fromEnv)] : []),
    path.join(here, 'prebuilds', `${process.platform}-${process.arch}.node`),
    path.join(here, 'build', 'Release', 'elastitwin_kernels.node'),
    path.join(here, 'build', 'Debug', 'elastitwin_kernels.node'),
  ];
}

const LOWER_PATHS: Record<SimdPath, SimdPath[]> = {
  avx2: ['avx2', 'scalar'],
  'neon-fp16': ['neon-fp16', 'neon', 'scalar'],
  neon: ['neon', 'scalar'],
  scalar: ['scalar'],
};

let cached: NativeKernels | undefined;

function wrap(raw: RawAddon): NativeKernels {
  return {
    info: () => raw.info(),
    createBlock: (spec) => new raw.NativeBlock(spec),
    setPath: (p) => raw.setPath(p),
    availablePaths: () => LOWER_PATHS[raw.info().bestSimd],
    createMatrix: (rows, cols, dtype, init) =>
      init instanceof Float32Array
        ? new raw.NativeMatrix(rows, cols, dtype, init)
        : new raw.NativeMatrix(rows, cols, dtype, init.seed, init.scale ?? 1),
    linear: (w, x, y, options = {}) => raw.linear(w, x, y, options),
    triad: (a, b, c, s, threads, clock) => raw.triad(a, b, c, s, threads, clock),
  };
}

/** Loads the addon, or throws an Error saying how to build it. */
export function loadKernels(): NativeKernels {
  if (cached) return cached;
  const file = addonCandidates().find((f) => existsSync(f));
  if (!file) throw new Error(NOT_BUILT_MESSAGE);
  const require = createRequire(import.meta.url);
  let raw: RawAddon;
  try {
    raw = require(file) as RawAddon;
  } catch (e) {
    throw new Error(`${NOT_BUILT_MESSAGE} (found ${file} but it did not load: ${(e as Error).message})`);
  }
  cached = wrap(raw);
  return cached;
}

/**
 * The addon, or null when it is not built (callers that have a pure-TypeScript alternative). A binary that
 * exists but fails to load (wrong architecture, stale build) still throws: that is a fault, not an absence.
 */
export function tryLoadKernels(): NativeKernels | null {
  if (!cached && !addonCandidates().some((f) => existsSync(f))) return null;
  return loadKernels();
}

export type { AddonInfo, BlockRun, BlockSpec, ElasticBlock, ElasticKernels, SimdPath };
