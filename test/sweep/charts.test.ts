/** Sweep aggregation over seeds (Student-t interval) and the shape of the sweep charts. */
import { describe, it, expect } from 'vitest';
import { confidenceInterval, aggregateOverSeeds, type SweepReportInput } from '../../reports/sweep-aggregate.ts';
import { sweepCharts, chartAxes } from '../../reports/sweep-charts.ts';

const input = (axes: SweepReportInput['axes']): SweepReportInput => {
  const rows: Array<Record<string, unknown>> = [];
  const [first, second] = axes;
  for (const a of first?.values ?? [null]) for (const b of second?.values ?? [null]) for (const seed of [1, 2, 3]) for (const policy of ['p', 'q']) {
    const row: Record<string, unknown> = { seed, policy, accuracy_under_slo: 0.1 * seed, slo_attainment: 0.5, ttft_p99_ms: policy === 'p' ? 0 : 100 * seed };
    if (first) row[first.path] = a;
    if (second) row[second.path] = b;
    rows.push(row);
  }
  return { name: 't', toolVersion: '0', axes, seeds: [1, 2, 3], rows };
};

describe('confidence interval over seeds', () => {
  it('is mean ± t(0.975, n−1)·s/√n', () => {
    const ci = confidenceInterval([1, 2, 3]); // s = 1, t(0.975, 2) = 4.302653
    expect(ci.mean).toBe(2);
    expect(ci.hi - ci.mean).toBeCloseTo(4.302653 / Math.sqrt(3), 5);
    expect(ci.mean - ci.lo).toBeCloseTo(ci.hi - ci.mean, 12);
    expect(confidenceInterval([5])).toEqual({ n: 1, mean: 5, lo: 5, hi: 5 });
  });
  it('groups rows by policy and axis values, not by seed', () => {
    const groups = aggregateOverSeeds(input([{ path: 'rate', values: [1, 2] }]), 'accuracy_under_slo');
    expect(groups.map((g) => [g.policy, g.setting, g.n])).toEqual([['p', [1], 3], ['q', [1], 3], ['p', [2], 3], ['q', [2], 3]]);
    expect(groups[0]!.mean).toBeCloseTo(0.2, 12);
  });
});

describe('sweep charts', () => {
  it('draws each metric against each numeric axis: band + line, one colour per policy', () => {
    const charts = sweepCharts(input([{ path: 'rate', values: [1, 2] }]));
    expect(charts.map((c) => c.id)).toEqual([
      'sweep-accuracy_under_slo-vs-rate', 'sweep-slo_attainment-vs-rate', 'sweep-ttft_p99_ms-vs-rate',
    ]);
    const spec = charts[0]!.spec as unknown as { layer: Array<{ mark: { type: string } }>; data: { values: unknown[] } };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['area', 'line']);
    expect(spec.data.values).toHaveLength(4);
    // a log axis cannot show a mean of 0: those points are left out
    const ttft = charts[2]!.spec as unknown as { data: { values: Array<{ policy: string }> } };
    expect(ttft.data.values.every((v) => v.policy === 'q')).toBe(true);
  });
  it('facets by the other varying axes and uses points with error bars on a categorical axis', () => {
    const charts = sweepCharts(input([{ path: 'queue', values: ['fcfs', 'edf'] }, { path: 'rate', values: [1, 2] }]));
    expect(chartAxes(input([{ path: 'queue', values: ['fcfs', 'edf'] }, { path: 'rate', values: [1, 2] }]))).toEqual(['queue', 'rate']);
    expect(charts).toHaveLength(6);
    const byQueue = charts[0]!.spec as unknown as { facet: { field: string }; spec: { layer: Array<{ mark: { type: string } }> } };
    expect(byQueue.facet.field).toBe('panel');
    expect(byQueue.spec.layer.map((l) => l.mark.type)).toEqual(['rule', 'point']);
  });
  it('falls back to one chart per metric across policies when no axis varies', () => {
    expect(sweepCharts(input([{ path: 'policies', values: [['p'], ['q']] }])).map((c) => c.id)).toEqual([
      'sweep-accuracy_under_slo-by-policy', 'sweep-slo_attainment-by-policy', 'sweep-ttft_p99_ms-by-policy',
    ]);
  });
});
