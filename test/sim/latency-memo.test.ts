import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createLatencyModel, elasticShape, getArchitecture, SWITCH_KINDS } from '../../cost-models/index.ts';
import { MODEL_RATIOS, type ExecShape } from '../../cost-models/types.ts';
import { memoizeLatency } from '../../sim/latency-memo.ts';

const arch = getArchitecture('orca-mini-3b');
// 17 distinct shape objects: more than the memo scans (16), so some take its WeakMap path
const SHAPES: ExecShape[] = [
  ...MODEL_RATIOS.map((m) => elasticShape(arch, m, true)),
  ...MODEL_RATIOS.slice(0, 8).map((m) => elasticShape(arch, m, false)),
];

describe('memoizeLatency', () => {
  it('answers every question exactly as the model it wraps, in any order, beyond the shapes it scans', () => {
    const shape = fc.integer({ min: 0, max: SHAPES.length - 1 });
    const call = fc.oneof(
      fc.record({ op: fc.constant('prefill' as const), s: shape, n: fc.integer({ min: 0, max: 3000 }) }),
      fc.record({ op: fc.constant('step' as const), s: shape, n: fc.integer({ min: 0, max: 3000 }) }),
      fc.record({ op: fc.constant('decode' as const), s: shape, n: fc.integer({ min: 0, max: 3000 }), steps: fc.integer({ min: 0, max: 300 }) }),
      fc.record({ op: fc.constant('tlm' as const), n: fc.integer({ min: 0, max: 5000 }) }),
      fc.record({ op: fc.constant('switch' as const), kind: fc.constantFrom(...SWITCH_KINDS), from: fc.integer({ min: -1, max: SHAPES.length - 1 }), s: shape }),
    );
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 200 }), (calls) => {
        const model = createLatencyModel({ kind: 'roofline' }, { arch, device: 'mi14', dtype: 'fp16', threads: 4 });
        const memo = memoizeLatency(model);
        // twice over: the second pass answers from the caches
        for (const pass of [0, 1]) {
          for (const c of calls) {
            let got: number;
            let want: number;
            if (c.op === 'prefill') [got, want] = [memo.prefillMs(SHAPES[c.s]!, c.n), model.prefillMs(SHAPES[c.s]!, c.n)];
            else if (c.op === 'step') [got, want] = [memo.decodeStepMs(SHAPES[c.s]!, c.n), model.decodeStepMs(SHAPES[c.s]!, c.n)];
            else if (c.op === 'decode') [got, want] = [memo.decodeMs(SHAPES[c.s]!, c.n, c.steps), model.decodeMs(SHAPES[c.s]!, c.n, c.steps)];
            else if (c.op === 'tlm') [got, want] = [memo.tlmMs(c.n), model.tlmMs(c.n)];
            else {
              const from = c.from < 0 ? null : SHAPES[c.from]!;
              [got, want] = [memo.switchMs(c.kind, from, SHAPES[c.s]!), model.switchMs(c.kind, from, SHAPES[c.s]!)];
            }
            expect(Object.is(got, want), `${JSON.stringify(c)} (pass ${pass})`).toBe(true);
          }
        }
      }),
      {
        numRuns: 200,
        // every shape priced once in order (the last is beyond the scanned ones), then switches from it and
        // from nothing resident, which must not share a cached price
        examples: [[[
          ...SHAPES.map((_s, k) => ({ op: 'prefill' as const, s: k, n: 100 })),
          ...SWITCH_KINDS.map((kind) => ({ op: 'switch' as const, kind, from: SHAPES.length - 1, s: 0 })),
          ...SWITCH_KINDS.map((kind) => ({ op: 'switch' as const, kind, from: 0, s: SHAPES.length - 1 })),
          ...SWITCH_KINDS.map((kind) => ({ op: 'switch' as const, kind, from: -1, s: 0 })),
        ]]],
      },
    );
  });
});
