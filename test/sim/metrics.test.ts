import { describe, it, expect } from 'vitest';
import { RequestTable } from '../../sim/request-table.ts';
import {
  OutcomeTable, FLAG_CORRECT, FLAG_DROPPED, FLAG_SERVED, FLAG_SWITCHED, FLAG_TPOT_OK, FLAG_TTFT_OK,
} from '../../sim/outcomes.ts';
import { computeMetrics, summarizePolicy } from '../../sim/metrics.ts';

function table(n: number): RequestTable {
  const t = new RequestTable(n);
  for (let i = 0; i < n; i++) {
    t.set(i, {
      id: i, app: i % 2 ? 'A' : 'B', dataset: i % 2 ? 'PIQA' : 'SCIQ', arrivalMs: i * 10,
      systemTokens: 100, queryTokens: 10, outputTokens: 5, slo: { ttft: 0.5, tpot: 0.8, unit: 'ratio' },
    });
  }
  return t;
}

describe('computeMetrics', () => {
  it('counts correct, on time and dropped requests against all requests of the group', () => {
    const t = table(4);
    const o = new OutcomeTable(4);
    const ok = FLAG_SERVED | FLAG_TTFT_OK | FLAG_TPOT_OK;
    o.flags.set([ok | FLAG_CORRECT, FLAG_SERVED | FLAG_TTFT_OK | FLAG_CORRECT | FLAG_SWITCHED, ok, FLAG_DROPPED]);
    o.quality.set([0.9, 0.8, 0.4, 0]);
    o.prefillMs.set([100, 200, 300, 0]);
    o.switchMs.set([0, 100, 0, 0]);
    o.tpotMs.set([10, 20, 30, 0]);
    const m = computeMetrics(t, o, null, 123);
    expect(m.requests).toBe(4);
    expect(m.served).toBe(3);
    expect(m.dropped).toBe(1);
    expect(m.accuracy).toBe(0.5); // 2 correct of 4
    expect(m.accuracyUnderSlo).toBe(0.25); // only the first is correct and on time
    expect(m.sloAttainment).toEqual({ ttft: 0.75, tpot: 0.5, both: 0.5 });
    expect(m.expectedAccuracy).toBeCloseTo((0.9 + 0.8 + 0.4) / 4, 6);
    expect(m.switches).toBe(1);
    expect(m.switchTimeShareOfTtft).toBeCloseTo(100 / 700, 6);
    // TTFT = queue + tlm + switch + prefill over served requests: 100, 300, 300; type-7 quantiles
    expect(m.ttftMs).toEqual({ mean: 233.333, p50: 300, p90: 300, p99: 300 });
    expect(m.tpotMs.p50).toBe(20);
    expect(m.peakMemoryBytes).toBe(123);
  });

  it('per-class summaries partition the requests', () => {
    const t = table(6);
    const o = new OutcomeTable(6);
    o.flags.fill(FLAG_SERVED | FLAG_TTFT_OK | FLAG_TPOT_OK | FLAG_CORRECT);
    o.modelTenths.fill(5);
    o.promptTenths.fill(10);
    const s = summarizePolicy('p', 'm', t, { outcomes: o, switches: 0, peakMemoryBytes: 0, events: 12, dropReasons: new Map() });
    expect(s.perClass.map((c) => c.metrics.requests)).toEqual([3, 3]);
    expect(s.perClass.map((c) => c.app)).toEqual(['B', 'A']);
    expect(s.overall.accuracyUnderSlo).toBe(1);
    expect(s.configHistogram).toEqual([{ modelRatio: 0.5, promptRatio: 1, count: 6 }]);
  });
});
