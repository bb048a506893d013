import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { keptPromptTokens, keptSystemTokens } from '../../sim/prompt.ts';
import { fcfs } from '../../sim/queues/fcfs.ts';
import { ratioFeasible } from '../../sim/policies/elastic-space.ts';
import { MODEL_RATIOS, PROMPT_RATIOS } from '../../cost-models/types.ts';

describe('prompt compression arithmetic', () => {
  it('keeps the whole prompt at ratio 1 and never cuts the query', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 500 }), fc.constantFrom(...PROMPT_RATIOS), (s, q, p) => {
        const kept = keptPromptTokens(s, q, p);
        expect(kept).toBeGreaterThanOrEqual(q);
        expect(kept).toBeLessThanOrEqual(s + q);
        if (p === 1) expect(kept).toBe(s + q);
      }),
    );
  });

  it('is monotone in the prompt ratio', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 500 }), (s, q) => {
        let prev = -1;
        for (const p of [...PROMPT_RATIOS].reverse()) {
          const k = keptSystemTokens(s, q, p);
          expect(k).toBeGreaterThanOrEqual(prev);
          prev = k;
        }
      }),
    );
  });

  it('follows the artifact rule int(r_sys·S) + 1 on a worked example', () => {
    // S = 400, Q = 100, p = 0.5: r_sys = (500·0.5 − 100)/400 = 0.375 → int(150) + 1 = 151 system tokens
    expect(keptSystemTokens(400, 100, 0.5)).toBe(151);
    // a ratio smaller than the query's share keeps one system token
    expect(keptSystemTokens(400, 100, 0.1)).toBe(1);
  });
});

describe('fcfs queue', () => {
  it('serves in arrival order across growth', () => {
    const q = fcfs({ arrivalMs: () => 0, deadlineMs: () => 0 });
    for (let i = 0; i < 3000; i++) {
      q.push(i);
      if (i % 3 === 0) q.pop(0);
    }
    const rest: number[] = [];
    while (q.size > 0) rest.push(q.pop(0));
    expect(rest).toEqual([...rest].sort((a, b) => a - b));
    expect(rest.length).toBe(2000);
  });
});

describe('the artifact feasibility rule', () => {
  // feasible (p, m) pairs per trace SLO class, from the artifact's fix-up table (reference §4.4)
  const expected: Array<[number, number, number, number[]]> = [
    [1.0, 1.0, 90, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    [0.8, 0.9, 78, [0.8, 0.8, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]],
    [0.6, 0.8, 65, [0.6, 0.6, 0.7, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8]],
    [0.4, 0.7, 49, [0.4, 0.4, 0.5, 0.5, 0.6, 0.7, 0.7, 0.7, 0.7, 0.7]],
    [0.2, 0.6, 28, [0.2, 0.2, 0.2, 0.2, 0.3, 0.4, 0.5, 0.6, 0.6, 0.6]],
    [0.2, 0.5, 25, [0.2, 0.2, 0.2, 0.2, 0.3, 0.4, 0.5, 0.5, 0.5, 0.5]],
  ];
  it.each(expected)('SLO ⟨%s, %s⟩ has %s feasible pairs and the published fix-up frontier', (ttft, tpot, count, front) => {
    let n = 0;
    const largest: number[] = [];
    for (const p of PROMPT_RATIOS) {
      let best = 0;
      for (const m of MODEL_RATIOS) {
        if (ratioFeasible(p, m, ttft, tpot)) {
          n++;
          best = m;
        }
      }
      largest.push(best);
    }
    expect(n).toBe(count);
    expect(largest).toEqual(front);
  });
});
