import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { IntFloatMap } from '../../sim/int-hash.ts';
import { RequestTable } from '../../sim/request-table.ts';

describe('IntFloatMap', () => {
  it('agrees with a Map over any sequence of sets, gets and clears (growing from a tiny table)', () => {
    const op = fc.oneof(
      fc.record({ set: fc.integer({ min: 0, max: 2 ** 31 - 1 }), value: fc.double({ noNaN: true }) }),
      fc.record({ get: fc.integer({ min: 0, max: 2 ** 31 - 1 }) }),
      fc.record({ set: fc.integer({ min: 0, max: 40 }), value: fc.double({ noNaN: true }) }),
      fc.record({ get: fc.integer({ min: 0, max: 40 }) }),
      fc.constant({ clear: true }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const ours = new IntFloatMap(4);
        const ref = new Map<number, number>();
        for (const o of ops) {
          if ('clear' in o) {
            ours.clear();
            ref.clear();
          } else if ('set' in o) {
            ours.set(o.set, o.value);
            ref.set(o.set, o.value);
          } else {
            expect(Object.is(ours.get(o.get), ref.get(o.get) ?? NaN)).toBe(true);
          }
          expect(ours.size).toBe(ref.size);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('RequestTable.kinds', () => {
  it('gives two requests the same kind exactly when class and all three lengths agree, numbered by first appearance', () => {
    const small = fc.integer({ min: 0, max: 3 });
    const spec = fc.record({ app: fc.constantFrom('a', 'b'), s: small, q: small, o: small });
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 200 }), (specs) => {
        const t = RequestTable.fromSpecs(specs.map((r, i) => ({
          id: i, app: r.app, dataset: 'OBQA', arrivalMs: i, systemTokens: r.s * 1000, queryTokens: r.q, outputTokens: r.o + 1,
          slo: { ttft: 1, tpot: 1, unit: 'ratio' as const },
        })));
        const { kindOf, count } = t.kinds();
        const key = (i: number) => `${t.classIndex[i]},${t.systemTokens[i]},${t.queryTokens[i]},${t.outputTokens[i]}`;
        const firstSeen = [...new Set(specs.map((_r, i) => key(i)))];
        expect(count).toBe(firstSeen.length);
        specs.forEach((_r, i) => expect(kindOf[i]).toBe(firstSeen.indexOf(key(i))));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps kinds apart past the hash table\'s growth (thousands of kinds, each seen twice)', () => {
    const n = 3000;
    const t = RequestTable.fromSpecs(Array.from({ length: 2 * n }, (_v, i) => ({
      id: i, app: 'a', dataset: 'OBQA' as const, arrivalMs: i, systemTokens: 7 * (i % n), queryTokens: (i % n) % 13,
      outputTokens: 1 + ((i % n) % 5), slo: { ttft: 1, tpot: 1, unit: 'ratio' as const },
    })));
    const { kindOf, count } = t.kinds();
    expect(count).toBe(n);
    for (let i = 0; i < n; i++) {
      expect(kindOf[i]).toBe(i);
      expect(kindOf[i + n]).toBe(i);
    }
  });
});
