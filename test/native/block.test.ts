/**
 * The elastic decoder block (prefill of T tokens, decode at context L) at random shapes (GQA included),
 * levels, LoRA on/off, dtypes and thread counts, on every SIMD path, against the TypeScript reference
 * recomputed from the block's own weights, input and KV cache. Tolerance: outputs are O(1); the block chains
 * ~10 fp32 reductions through RMSNorm and softmax, so |out − ref| ≤ 1e-4·(1 + |ref|) (fp32 accumulation);
 * the NEON fp16 arithmetic path (arm64 only) would need 3e-2.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadKernels, type NativeBlock, type ProjectionName } from '../../native/index.ts';
import type { BlockSpec } from '../../native/api.ts';
import { blockRef } from './reference.ts';

const kernels = loadKernels();
const best = kernels.info().bestSimd;
afterEach(() => kernels.setPath(best));

const PROJECTIONS: ProjectionName[] = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'];

function reference(block: NativeBlock, spec: BlockSpec, level: { activeHeads: number; activeFfn: number }, pos0: number, tokens: number) {
  const cache = block.kvCache();
  const lora: Parameters<typeof blockRef>[0]['lora'] = {};
  for (const p of PROJECTIONS) {
    const l = block.lora(p);
    if (l) lora[p] = l;
  }
  return blockRef({
    ...spec,
    ...level,
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

const blockArb = fc
  .record({
    kvHeads: fc.integer({ min: 1, max: 3 }),
    group: fc.integer({ min: 1, max: 3 }),
    headDim: fc.constantFrom(4, 8, 16, 18),
    hidden: fc.integer({ min: 8, max: 72 }),
    ffn: fc.integer({ min: 4, max: 100 }),
    dtype: fc.constantFrom<'fp32' | 'fp16'>('fp32', 'fp16'),
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
    const run = {
      activeHeads: r.group * Math.max(1, Math.round(r.keptGroups * r.kvHeads)),
      activeFfn: Math.max(1, Math.round(r.ffnFrac * r.ffn)),
      threads: r.threads,
    };
    return { spec, run, tokens: r.tokens, context: r.context };
  });

function expectClose(actual: Float32Array, expected: Float64Array) {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1e-4 * (1 + Math.abs(expected[i]!))));
}

describe.each(kernels.availablePaths())('elastic decoder block on the %s path', (path) => {
  it('prefill of T tokens matches the reference at any level', () => {
    kernels.setPath(path);
    fc.assert(
      fc.property(blockArb, ({ spec, run, tokens }) => {
        const block = kernels.createBlock(spec);
        const want = reference(block, spec, run, 0, tokens);
        const ns = block.prefillNs(tokens, run);
        expect(ns).toBeGreaterThan(0);
        expectClose(block.output(0, tokens), want);
        block.free();
      }),
      { numRuns: 25 },
    );
  });

  it('a decode step at context L matches the reference and appends to the KV cache', () => {
    kernels.setPath(path);
    fc.assert(
      fc.property(blockArb, ({ spec, run, context }) => {
        const block = kernels.createBlock(spec);
        const want = reference(block, spec, run, context, 1);
        block.decodeNs(context, run);
        expectClose(block.output(context, 1), want);
        // a second step at L+1 attends over the row the first one wrote
        if (context + 1 < spec.maxContext) {
          const next = reference(block, spec, run, context + 1, 1);
          block.decodeNs(context + 1, run);
          expectClose(block.output(context + 1, 1), next);
        }
        block.free();
      }),
      { numRuns: 25 },
    );
  });
});

describe('block arguments', () => {
  const spec: BlockSpec = { hidden: 16, heads: 4, kvHeads: 2, headDim: 4, ffn: 8, dtype: 'fp32', maxContext: 8, loraRank: 0, seed: 1 };

  it('names the bad field of a spec or a run', () => {
    expect(() => kernels.createBlock({ ...spec, kvHeads: 3 })).toThrow(/kvHeads must divide heads/);
    expect(() => kernels.createBlock({ ...spec, dtype: 'bf16' as 'fp32' })).toThrow(/spec\.dtype/);
    const block = kernels.createBlock(spec);
    expect(() => block.decodeNs(2, { activeHeads: 3, activeFfn: 8, threads: 1 })).toThrow(/multiple of heads\/kvHeads \(2\)/);
    expect(() => block.decodeNs(8, { activeHeads: 2, activeFfn: 8, threads: 1 })).toThrow(/context must be in 0\.\.maxContext-1 \(7\)/);
    expect(() => block.prefillNs(3, { activeHeads: 2, activeFfn: 9, threads: 1 })).toThrow(/activeFfn/);
    block.free();
    expect(() => block.decodeNs(1, { activeHeads: 2, activeFfn: 8, threads: 1 })).toThrow(/freed/);
  });

  it('the same seed gives the same weights and outputs; levels differ', () => {
    const a = kernels.createBlock(spec);
    const b = kernels.createBlock(spec);
    a.prefillNs(4, { activeHeads: 4, activeFfn: 8, threads: 1 });
    b.prefillNs(4, { activeHeads: 4, activeFfn: 8, threads: 2 });
    expect(a.output(0, 4)).toEqual(b.output(0, 4));
    b.prefillNs(4, { activeHeads: 2, activeFfn: 4, threads: 1 });
    expect(a.output(0, 4)).not.toEqual(b.output(0, 4));
    a.free();
    b.free();
  });
});
