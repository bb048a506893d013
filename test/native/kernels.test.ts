/**
 * Every elastic kernel on every SIMD path this CPU has, against the float64 TypeScript reference, on random
 * shapes, levels, index lists and thread counts (fast-check). Tolerances per dtype and path: see
 * `linearTolerance` in reference.ts (fp32 accumulation: the rigorous (n + 2)·2⁻²⁴·Σ|w·x| bound; NEON fp16
 * arithmetic: 4e-3·Σ|w·x|, reachable on arm64 only, see test/arm/).
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadKernels, type NativeKernels } from '../../native/index.ts';
import type { SimdPath } from '../../native/api.ts';
import { linearRef } from './reference.ts';
import { checkFp16Storage, checkLinearCase, fp16ValuesArb, linearCaseArb, randomVector } from './cases.ts';

const kernels: NativeKernels = loadKernels();
const paths = kernels.availablePaths();
const best = kernels.info().bestSimd;
afterEach(() => kernels.setPath(best));

describe.each(paths)('elastic linear on the %s path', (path) => {
  it('reordered prefixes and gathered index lists (rows, cols, both), GEMV and GEMM, match the reference', () => {
    kernels.setPath(path);
    fc.assert(
      fc.property(linearCaseArb, (c) => {
        expect(checkLinearCase(kernels, path, c)).toBeNull();
      }),
      { numRuns: 150 },
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
      fc.property(fp16ValuesArb, (values) => {
        expect(checkFp16Storage(kernels, values)).toBeNull();
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
