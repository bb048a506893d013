/**
 * Sweep results over seeds: the tidy table's rows grouped by (policy, axis values) — everything but the seed —
 * with the mean and a Student-t confidence interval of a metric across the seeds of each group.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, sampleStandardDeviation } from 'simple-statistics';

/** What the sweep report needs to know about a sweep (the manifest's facts plus the tidy table's rows). */
export interface SweepReportInput {
  name: string;
  description?: string;
  toolVersion: string;
  axes: Array<{ path: string; values: unknown[] }>;
  seeds: number[];
  /** Tidy table rows: `policy`, `seed`, one member per axis path, one per metric column. */
  rows: ReadonlyArray<Record<string, unknown>>;
}

export const CONFIDENCE_LEVEL = 0.95;
export const CI_METHOD =
  `${CONFIDENCE_LEVEL * 100}% Student-t interval of the mean over seeds: mean ± t(${(1 + CONFIDENCE_LEVEL) / 2}, n−1)·s/√n ` +
  '(s = sample standard deviation); a single seed gives no interval';

export interface Interval {
  n: number;
  mean: number;
  lo: number;
  hi: number;
}

export function confidenceInterval(values: readonly number[], level = CONFIDENCE_LEVEL): Interval {
  const n = values.length;
  if (n === 0) throw new Error('confidenceInterval of no values');
  const m = mean([...values]);
  if (n === 1) return { n, mean: m, lo: m, hi: m };
  const half = tQuantile((1 + level) / 2, n - 1) * (sampleStandardDeviation([...values]) / Math.sqrt(n));
  return { n, mean: m, lo: m - half, hi: m + half };
}

export interface GroupStat extends Interval {
  policy: string;
  /** Axis path → value for this group (in axis order). */
  setting: unknown[];
}

/** One GroupStat per (policy, axis values), in order of first appearance in the rows. */
export function aggregateOverSeeds(input: SweepReportInput, metric: string): GroupStat[] {
  const groups = new Map<string, { policy: string; setting: unknown[]; values: number[] }>();
  for (const row of input.rows) {
    const setting = input.axes.map((a) => row[a.path]);
    const policy = String(row.policy);
    const key = JSON.stringify([policy, setting]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { policy, setting, values: [] }));
    const v = row[metric];
    if (typeof v === 'number' && Number.isFinite(v)) g.values.push(v);
  }
  return [...groups.values()]
    .filter((g) => g.values.length > 0)
    .map((g) => ({ policy: g.policy, setting: g.setting, ...confidenceInterval(g.values) }));
}

/** Policies in order of first appearance (a fixed colour order for every chart). */
export const policyOrder = (input: SweepReportInput): string[] => [...new Set(input.rows.map((r) => String(r.policy)))];
