/**
 * Random test cases of the native kernels and how to check one against the TypeScript reference. Shared by
 * the vitest suites here (x86) and by test/arm/addon.node-test.ts (node:test under qemu-aarch64), so both
 * legs test exactly the same properties. A check returns null when the case passes, else what went wrong.
 */
import fc from 'fast-check';
import type { Dtype, NativeBlock, NativeKernels, ProjectionName } from '../../native/index.ts';
import type { BlockRun, BlockSpec } from '../../native/api.ts';
import { Rng } from '../../base/rng.ts';
import { blockRef, blockTolerance, fp16Round, linearRef, linearTolerance } from './reference.ts';

export function randomVector(seed: number, n: number, scale = 1): Float32Array {
  const rng = Rng.fromSeed(seed);
  return Float32Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale);
}

/** A random subset of 0..n-1 in random order (at least one element). */
export function subset(seed: number, n: number, keep: number): Int32Array {
  return Int32Array.from(Rng.fromSeed(seed).shuffle([...Array(n).keys()]).slice(0, Math.max(1, keep)));
}

export type LinearMode = 'reordered' | 'rows' | 'cols' | 'both';

export const linearCaseArb = fc.record({
  rows: fc.integer({ min: 1, max: 70 }),
  cols: fc.integer({ min: 1, max: 160 }),
  tokens: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 37 })),
  dtype: fc.constantFrom<Dtype>('fp32', 'fp16'),
  threads: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
  outFrac: fc.double({ min: 0, max: 1, noNaN: true }),
  inFrac: fc.double({ min: 0, max: 1, noNaN: true }),
  mode: fc.constantFrom<LinearMode>('reordered', 'rows', 'cols', 'both'),
});
export type LinearCase = typeof linearCaseArb extends fc.Arbitrary<infer T> ? T : never;

/** Reordered: an (activeOut × activeIn) prefix. Gathered: index lists of kept rows and/or columns. */
export function checkLinearCase(kernels: NativeKernels, path: string, s: LinearCase): string | null {
  const m = kernels.createMatrix(s.rows, s.cols, s.dtype, { seed: s.seed, scale: 1 });
  const gathered = s.mode !== 'reordered';
  const activeOut = Math.max(1, Math.round(s.outFrac * s.rows));
  const activeIn = Math.max(1, Math.round(s.inFrac * s.cols));
  const rowIdx = s.mode === 'rows' || s.mode === 'both' ? subset(s.seed + 2, s.rows, activeOut) : undefined;
  const colIdx = s.mode === 'cols' || s.mode === 'both' ? subset(s.seed + 3, s.cols, activeIn) : undefined;
  const nOut = rowIdx?.length ?? (gathered ? s.rows : activeOut);
  const nIn = colIdx?.length ?? (gathered ? s.cols : activeIn);
  const x = randomVector(s.seed + 1, s.tokens * nIn);
  const y = new Float32Array(s.tokens * nOut);
  const shape = gathered ? { rows: rowIdx, cols: colIdx } : { activeIn, activeOut };
  kernels.linear(m, x, y, { tokens: s.tokens, threads: s.threads, ...shape });
  const ref = linearRef({ w: m.read(), cols: s.cols, x, tokens: s.tokens, ...(gathered ? { rowIdx, colIdx } : { activeIn, activeOut }) });
  m.free();
  for (let i = 0; i < y.length; i++) {
    const err = Math.abs(y[i]! - ref.y[i]!);
    const tol = linearTolerance(path, s.dtype, nIn, ref.magnitude[i]!);
    if (!(err <= tol)) return `y[${i}] = ${y[i]} vs reference ${ref.y[i]}: error ${err} > tolerance ${tol}`;
  }
  return null;
}

const PROJECTIONS: ProjectionName[] = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'];

/** The reference output of the block for tokens at positions pos0.., from the block's current state. */
export function blockReference(block: NativeBlock, spec: BlockSpec, run: BlockRun, pos0: number, tokens: number): Float64Array {
  const cache = block.kvCache();
  const lora: Parameters<typeof blockRef>[0]['lora'] = {};
  for (const p of PROJECTIONS) {
    const l = block.lora(p);
    if (l) lora[p] = l;
  }
  return blockRef({
    ...spec,
    activeHeads: run.activeHeads,
    activeFfn: run.activeFfn,
    weights: Object.fromEntries(PROJECTIONS.map((p) => [p, block.weight(p)])) as Record<ProjectionName, Float32Array>,
    lora,
    norms: block.norms(),
    input: block.input(pos0, tokens),
    pos0,
    tokens,
    kCache: cache.k,
    vCache: cache.v,
  });
}

export const blockCaseArb = fc
  .record({
    kvHeads: fc.integer({ min: 1, max: 3 }),
    group: fc.integer({ min: 1, max: 3 }),
    headDim: fc.constantFrom(4, 8, 16, 18),
    hidden: fc.integer({ min: 8, max: 72 }),
    ffn: fc.integer({ min: 4, max: 100 }),
    dtype: fc.constantFrom<Dtype>('fp32', 'fp16'),
    loraRank: fc.constantFrom(0, 8),
    seed: fc.integer({ min: 0, max: 1e6 }),
    threads: fc.integer({ min: 1, max: 3 }),
    keptGroups: fc.double({ min: 0, max: 1, noNaN: true }),
    ffnFrac: fc.double({ min: 0, max: 1, noNaN: true }),
    tokens: fc.integer({ min: 1, max: 9 }),
    context: fc.integer({ min: 0, max: 14 }),
  })
  .map((r) => {
    const spec: BlockSpec = {
      hidden: r.hidden,
      heads: r.kvHeads * r.group,
      kvHeads: r.kvHeads,
      headDim: r.headDim,
      ffn: r.ffn,
      dtype: r.dtype,
      maxContext: 16,
      loraRank: r.loraRank,
      seed: r.seed,
    };
    const run: BlockRun = {
      activeHeads: r.group * Math.max(1, Math.round(r.keptGroups * r.kvHeads)),
      activeFfn: Math.max(1, Math.round(r.ffnFrac * r.ffn)),
      threads: r.threads,
    };
    return { spec, run, tokens: r.tokens, context: r.context };
  });
export type BlockCase = typeof blockCaseArb extends fc.Arbitrary<infer T> ? T : never;

function compareBlock(actual: Float32Array, expected: Float64Array, tol: number): string | null {
  if (actual.length !== expected.length) return `output has ${actual.length} values, reference ${expected.length}`;
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!);
    if (!(err <= tol * (1 + Math.abs(expected[i]!)))) return `out[${i}] = ${actual[i]} vs reference ${expected[i]}: error ${err}`;
  }
  return null;
}

/** Prefill of T tokens from an empty cache. */
export function checkPrefillCase(kernels: NativeKernels, path: string, c: BlockCase): string | null {
  const block = kernels.createBlock(c.spec);
  try {
    const want = blockReference(block, c.spec, c.run, 0, c.tokens);
    if (!(block.prefillNs(c.tokens, c.run) > 0)) return 'prefillNs did not return a positive time';
    return compareBlock(block.output(0, c.tokens), want, blockTolerance(path, c.spec.dtype));
  } finally {
    block.free();
  }
}

/** A decode step at context L, then one at L+1 that must attend over the K/V row the first one wrote. */
export function checkDecodeCase(kernels: NativeKernels, path: string, c: BlockCase): string | null {
  const block = kernels.createBlock(c.spec);
  const tol = blockTolerance(path, c.spec.dtype);
  try {
    for (const context of [c.context, c.context + 1]) {
      if (context >= c.spec.maxContext) break;
      const want = blockReference(block, c.spec, c.run, context, 1);
      block.decodeNs(context, c.run);
      const problem = compareBlock(block.output(context, 1), want, tol);
      if (problem) return `decode at ${context}: ${problem}`;
    }
    return null;
  } finally {
    block.free();
  }
}

/** Any finite fp32 values, including subnormals, ties and values that overflow binary16. */
export const fp16ValuesArb = fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 64 });

/** fp16 matrices store fp32 data rounded to the nearest binary16 (ties to even). */
export function checkFp16Storage(kernels: NativeKernels, values: number[]): string | null {
  const data = Float32Array.from(values);
  const m = kernels.createMatrix(1, data.length, 'fp16', data);
  const back = m.read();
  m.free();
  for (let i = 0; i < data.length; i++)
    if (!Object.is(back[i], fp16Round(data[i]!))) return `${data[i]} stored as ${back[i]}, expected ${fp16Round(data[i]!)}`;
  return null;
}
