/**
 * The elastic decoder block (prefill of T tokens, decode at context L) at random shapes (GQA included),
 * levels, LoRA on/off, dtypes and thread counts, on every SIMD path, against the TypeScript reference
 * recomputed from the block's own weights, input and KV cache. Tolerance: `blockTolerance` in reference.ts
 * (1e-4·(1 + |ref|) with fp32 accumulation; 3e-2 for NEON fp16 arithmetic, arm64 only).
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadKernels } from '../../native/index.ts';
import type { BlockSpec } from '../../native/api.ts';
import { blockCaseArb, checkDecodeCase, checkPrefillCase } from './cases.ts';

const kernels = loadKernels();
const best = kernels.info().bestSimd;
afterEach(() => kernels.setPath(best));

describe.each(kernels.availablePaths())('elastic decoder block on the %s path', (path) => {
  it('prefill of T tokens matches the reference at any level', () => {
    kernels.setPath(path);
    fc.assert(
      fc.property(blockCaseArb, (c) => {
        expect(checkPrefillCase(kernels, path, c)).toBeNull();
      }),
      { numRuns: 25 },
    );
  });

  it('decode steps at context L and L+1 match the reference (the KV cache grows)', () => {
    kernels.setPath(path);
    fc.assert(
      fc.property(blockCaseArb, (c) => {
        expect(checkDecodeCase(kernels, path, c)).toBeNull();
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
