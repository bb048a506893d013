/**
 * TTFT and TPOT CDFs per policy from requests.csv, with the SLO targets marked.
 *  - All classes in milliseconds: x is the latency in ms, and each class's target is a labelled vertical rule.
 *  - Ratio SLOs (the paper's convention): the budget differs per request (a ratio of that request's full-model
 *    latency), so no single ms value marks a class. x is latency ÷ the request's own budget instead, and every
 *    class's target is the one rule at x = 1: the height of a curve there is its SLO attainment.
 * Dropped requests have no latency and are left out (their count is in the tables).
 */
import type { RunSummary } from '../../sim/results.ts';
import type { RequestRow } from '../../sim/results.ts';
import { policyColor, type ChartSpec } from './chart.ts';

/** Points kept per curve: enough for a smooth step curve, few enough to keep the SVG small and fast. */
const CDF_POINTS = 200;

export interface CdfPoint {
  x: number;
  p: number;
}

/**
 * Empirical CDF of `values` as at most `maxPoints` exact order statistics: point k is the value of rank
 * round(k·(n-1)/(maxPoints-1)) with p = rank/n, and the smallest and largest values are always kept.
 */
export function empiricalCdf(values: number[], maxPoints = CDF_POINTS): CdfPoint[] {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return [];
  const points = Math.min(n, maxPoints);
  const out: CdfPoint[] = [];
  let lastRank = -1;
  for (let k = 0; k < points; k++) {
    const rank = points === 1 ? n - 1 : Math.round((k * (n - 1)) / (points - 1));
    if (rank === lastRank) continue;
    lastRank = rank;
    out.push({ x: sorted[rank]!, p: (rank + 1) / n });
  }
  return out;
}

type Which = 'ttft' | 'tpot';

function latencyOf(row: RequestRow, which: Which): number | null {
  return which === 'ttft' ? row.ttftMs : row.tpotMs;
}
function budgetOf(row: RequestRow, which: Which): number {
  return which === 'ttft' ? row.ttftBudgetMs : row.tpotBudgetMs;
}

export function latencyCdf(summary: RunSummary, rows: readonly RequestRow[], which: Which): ChartSpec {
  const classes = summary.policies[0]?.perClass ?? [];
  const absolute = classes.length > 0 && classes.every((c) => c.slo.unit === 'ms');
  const name = which.toUpperCase();
  const values: Array<{ policy: string; x: number; p: number }> = [];
  for (const p of summary.policies) {
    const xs: number[] = [];
    for (const row of rows) {
      if (row.policy !== p.policy || row.dropped) continue;
      const latency = latencyOf(row, which);
      const budget = budgetOf(row, which);
      if (latency === null || latency <= 0 || (!absolute && !(budget > 0))) continue;
      xs.push(absolute ? latency : latency / budget);
    }
    for (const point of empiricalCdf(xs)) values.push({ policy: p.policy, ...point });
  }
  const targets = absolute
    ? classes.map((c) => ({ x: which === 'ttft' ? c.slo.ttft : c.slo.tpot, label: c.app }))
    : [{ x: 1, label: 'SLO budget (all classes)' }];
  const xTitle = absolute ? `${name} (ms, log scale)` : `${name} ÷ the request's ${name} budget (log scale)`;
  return {
    id: `${which}-cdf`,
    title: `${name} distribution per policy`,
    caption: absolute
      ? `Share of served requests (y) whose ${name} is at most x; the vertical rules are the SLO classes' ` +
        `${name} targets, so a curve's height at a rule is how often that target would be met.`
      : `Share of served requests (y) whose ${name} is at most x times its own budget. Budgets are ratios of ` +
        `each request's full-model ${name}, so every class's target sits at x = 1 and a curve's height there ` +
        `is the ${name} SLO attainment.`,
    spec: {
      width: 560,
      height: 280,
      layer: [
        {
          data: { values: targets },
          mark: { type: 'rule', strokeDash: [4, 3], color: '#666' },
          encoding: { x: { field: 'x', type: 'quantitative' } },
        },
        {
          data: { values: targets },
          // labels read downwards from the top, where CDF curves rarely are (they rise to the right)
          mark: { type: 'text', angle: 90, align: 'left', baseline: 'bottom', dy: -3, fontSize: 11, color: '#444' },
          encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 4 }, text: { field: 'label' } },
        },
        {
          data: { values },
          mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
          encoding: {
            x: { field: 'x', type: 'quantitative', title: xTitle, scale: { type: 'log' } },
            y: { field: 'p', type: 'quantitative', title: 'share of requests', axis: { format: '.0%' } },
            color: policyColor(summary),
          },
        },
      ],
    },
  };
}
