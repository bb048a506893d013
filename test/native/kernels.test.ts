/**
 * Every elastic kernel on every SIMD path this CPU has, against the float64 TypeScript reference, on random
 * shapes, levels, index lists and thread counts (fast-check). Tolerances, per dtype and path:
 * - fp32 accumulation (fp32 weights, and fp16 weights widened to fp32: avx2, neon, scalar): the rigorous
 *   bound of recursive summation, |y − ref| ≤ (n + 2)·2⁻²⁴·Σ|w·x| + 1e-7;
 * - NEON fp16 arithmetic (neon-fp16 with fp16 weights): 4e-3·Σ|w·x| (activations rounded to fp16 and
 *   32-element fp16 partial sums; only reachable on arm64, see test/arm/).
 * A wrong row, column, prefix or index is off by O(Σ|w·x|), far outside either bound.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadKernels, type Dtype, type NativeKernels } from '../../native/index.ts';
import type { SimdPath } from '../../native/api.ts';
import { Rng } from '../../sim/rng.ts';
import { fp16Round, linearRef } from './reference.ts';

const kernels: NativeKernels = loadKernels();
const paths = kernels.availablePaths();
const best = kernels.info().bestSimd;
afterEach(() => kernels.setPath(best));

export function randomVector(seed: number, n: number, scale = 1): Float32Array {
  const rng = Rng.fromSeed(seed);
  return Float32Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale);
}

function tolerance(path: SimdPath, dtype: Dtype, n: number, magnitude: number): number {
  if (path === 'neon-fp16' && dtype === 'fp16') return 4e-3 * magnitude + 1e-6;
  return (n + 2) * 2 ** -24 * magnitude + 1e-7;
}

/** A random subset of 0..n-1 in random order (at least one element). */
function subset(seed: number, n: number, keep: number): Int32Array {
  return Int32Array.from(Rng.fromSeed(seed).shuffle([...Array(n).keys()]).slice(0, Math.max(1, keep)));
}

const shapeArb = fc.record({
  rows: fc.integer({ min: 1, max: 70 }),
  cols: fc.integer({ min: 1, max: 160 }),
  tokens: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 37 })),
  dtype: fc.constantFrom<Dtype>('fp32', 'fp16'),
  threads: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
  outFrac: fc.double({ min: 0, max: 1, noNaN: true }),
  inFrac: fc.double({ min: 0, max: 1, noNaN: true }),
});

describe.each(paths)('elastic linear on the %s path', (path) => {
  it('reordered GEMV/GEMM over an (activeOut × activeIn) prefix matches the reference', () => {
    kernels.setPath(path);
    fc.assert(
      fc.property(shapeArb, (s) => {
        const activeOut = Math.max(1, Math.round(s.outFrac * s.rows));
        const activeIn = Math.max(1, Math.round(s.inFrac * s.cols));
        const m = kernels.createMatrix(s.rows, s.cols, s.dtype, { seed: s.seed, scale: 1 });
        const x = randomVector(s.seed + 1, s.tokens * activeIn);
        const y = new Float32Array(s.tokens * activeOut);
        kernels.linear(m, x, y, { tokens: s.tokens, activeIn, activeOut, threads: s.threads });
        const ref = linearRef({ w: m.read(), cols: s.cols, x, tokens: s.tokens, activeIn, activeOut });
        m.free();
        y.forEach((v, i) => {
          const err = Math.abs(v - ref.y[i]!);
          expect(err).toBeLessThanOrEqual(tolerance(path, s.dtype, activeIn, ref.magnitude[i]!));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('gathered rows and/or columns (index lists of kept units) match the reference', () => {
    kernels.setPath(path);
    fc.assert(
      fc.property(shapeArb, fc.constantFrom('rows', 'cols', 'both'), (s, mode) => {
        const m = kernels.createMatrix(s.rows, s.cols, s.dtype, { seed: s.seed, scale: 1 });
        const rowIdx = mode !== 'cols' ? subset(s.seed + 2, s.rows, Math.round(s.outFrac * s.rows)) : undefined;
        const colIdx = mode !== 'rows' ? subset(s.seed + 3, s.cols, Math.round(s.inFrac * s.cols)) : undefined;
        const nIn = colIdx?.length ?? s.cols;
        const nOut = rowIdx?.length ?? s.rows;
        const x = randomVector(s.seed + 1, s.tokens * nIn);
        const y = new Float32Array(s.tokens * nOut);
        kernels.linear(m, x, y, { tokens: s.tokens, rows: rowIdx, cols: colIdx, threads: s.threads });
        const ref = linearRef({ w: m.read(), cols: s.cols, x, tokens: s.tokens, rowIdx, colIdx });
        m.free();
        y.forEach((v, i) => {
          expect(Math.abs(v - ref.y[i]!)).toBeLessThanOrEqual(tolerance(path, s.dtype, nIn, ref.magnitude[i]!));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('alpha and accumulate give y += alpha·W x (the LoRA side-branch form)', () => {
    kernels.setPath(path);
    const m = kernels.createMatrix(9, 33, 'fp32', { seed: 5 });
    const x = randomVector(6, 33);
    const y0 = randomVector(7, 9);
    const y = Float32Array.from(y0);
    kernels.linear(m, x, y, { alpha: 2, accumulate: true });
    const ref = linearRef({ w: m.read(), cols: 33, x, tokens: 1 });
    y.forEach((v, i) => expect(v).toBeCloseTo(y0[i]! + 2 * ref.y[i]!, 5));
  });

  it('the STREAM triad computes a = b + s·c', () => {
    kernels.setPath(path);
    const n = 1003;
    const [a, b, c] = [0, 1, 2].map((k) => kernels.createMatrix(1, n, 'fp32', { seed: 10 + k }));
    kernels.triad(a!, b!, c!, 3, 2);
    const [av, bv, cv] = [a!.read(), b!.read(), c!.read()];
    for (let i = 0; i < n; i++) expect(av[i]).toBeCloseTo(bv[i]! + 3 * cv[i]!, 5);
  });
});

describe('fp16 storage', () => {
  it('stores fp32 data rounded to the nearest binary16 (ties to even, subnormals, overflow)', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 64 }), (values) => {
        const data = Float32Array.from(values);
        const m = kernels.createMatrix(1, data.length, 'fp16', data);
        const back = m.read();
        m.free();
        data.forEach((v, i) => expect(back[i]).toBe(fp16Round(v)));
      }),
    );
  });
});

describe('argument checking', () => {
  it('rejects out-of-range indices, short buffers, unavailable paths and freed matrices with a clear message', () => {
    const m = kernels.createMatrix(4, 8, 'fp32', { seed: 1 });
    const y = new Float32Array(4);
    expect(() => kernels.linear(m, new Float32Array(3), y, { cols: Int32Array.of(0, 1, 8) })).toThrow(/cols\[2\] = 8 is outside 0\.\.7/);
    expect(() => kernels.linear(m, new Float32Array(7), y, {})).toThrow(/x has 7 elements, needs tokens\*inputs = 8/);
    expect(() => kernels.linear(m, new Float32Array(8), y, { activeOut: 5 })).toThrow(/activeOut must be an integer in 1\.\.4/);
    const foreign: SimdPath = process.arch === 'arm64' ? 'avx2' : 'neon';
    expect(() => kernels.setPath(foreign)).toThrow(/not available on this CPU/);
    m.free();
    expect(() => m.read()).toThrow(/freed/);
  });

  it('reports the active path and its lower paths', () => {
    const info = kernels.info();
    expect(paths[0]).toBe(info.bestSimd);
    expect(paths.at(-1)).toBe('scalar');
    kernels.setPath('scalar');
    expect(kernels.info().simd).toBe('scalar');
  });
});
