/**
 * Sweep charts: a metric against one axis, one line per policy, with the mean over seeds and a confidence
 * band (reports/sweep-aggregate.ts). Numeric axes get lines with shaded bands; other axes get points with
 * error bars. When more axes vary, the chart is faceted by their values. The "policies" axis is not drawn
 * as an x axis: its effect is the policy colour.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './charts/chart.ts';
import { aggregateOverSeeds, policyOrder, type SweepReportInput } from './sweep-aggregate.ts';

export interface SweepMetric {
  /** Tidy table column. */
  column: string;
  title: string;
  /** vega format of the values. */
  format: string;
  /** A share: draw on [0, 1]. */
  share: boolean;
}

export const SWEEP_CHART_METRICS: SweepMetric[] = [
  { column: 'accuracy_under_slo', title: 'accuracy under SLO', format: '.0%', share: true },
  { column: 'slo_attainment', title: 'SLO attainment (TTFT and TPOT)', format: '.0%', share: true },
  { column: 'ttft_p99_ms', title: 'TTFT p99 (ms)', format: '~s', share: false },
];

/**
 * Shares on [0, 1] (bands clipped to it); latencies on a log scale, since an overloaded policy's tail runs
 * orders of magnitude above the others.
 */
const yScale = (metric: SweepMetric) => (metric.share ? { domain: [0, 1], clamp: true } : { type: 'log' as const });

/**
 * What a log axis can show: points with a positive mean; a band reaching 0 or below is cut at the mean
 * (drawn one-sided) rather than at an arbitrary small number.
 */
function forAxis<T extends { mean: number; lo: number }>(metric: SweepMetric, points: T[]): T[] {
  if (metric.share) return points;
  return points.filter((p) => p.mean > 0).map((p) => (p.lo > 0 ? p : { ...p, lo: p.mean }));
}

const axisTitle = (metric: SweepMetric): string => (metric.share ? metric.title : `${metric.title}, log scale`);

/** An axis value as text: strings as they are, anything else as compact JSON. */
export const label = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? '');

/** Axes a chart can put on x: more than one value, and not the policy list. */
export const chartAxes = (input: SweepReportInput): string[] =>
  input.axes.filter((a) => a.path !== 'policies' && a.values.length > 1).map((a) => a.path);

function metricVsAxis(input: SweepReportInput, metric: SweepMetric, xPath: string): ChartSpec {
  const axisIndex = input.axes.findIndex((a) => a.path === xPath);
  const others = chartAxes(input).filter((p) => p !== xPath);
  const otherIdx = others.map((p) => input.axes.findIndex((a) => a.path === p));
  const numeric = input.axes[axisIndex]!.values.every((v) => typeof v === 'number');
  const values = forAxis(metric, aggregateOverSeeds(input, metric.column)).map((g) => ({
    policy: g.policy,
    x: numeric ? (g.setting[axisIndex] as number) : label(g.setting[axisIndex]),
    panel: otherIdx.map((k) => `${input.axes[k]!.path}=${label(g.setting[k])}`).join(', '),
    mean: g.mean,
    lo: g.lo,
    hi: g.hi,
    n: g.n,
  }));
  const y = {
    field: 'mean', type: 'quantitative' as const, axis: { format: metric.format }, scale: yScale(metric),
    title: axisTitle(metric),
  };
  const x = numeric
    ? { field: 'x', type: 'quantitative' as const, title: xPath, scale: { zero: false } }
    : { field: 'x', type: 'ordinal' as const, title: xPath, sort: input.axes[axisIndex]!.values.map(label), axis: { labelAngle: 0 } };
  // one colour scale for band and line; the legend symbols are drawn opaque (not with the band's opacity)
  const color = {
    field: 'policy', type: 'nominal' as const, title: 'Policy', scale: { domain: policyOrder(input) }, legend: { symbolOpacity: 1 },
  };
  const bandY = { y: { field: 'lo', type: 'quantitative' as const, scale: yScale(metric) }, y2: { field: 'hi' }, color };
  const band = numeric
    ? { mark: { type: 'area' as const, opacity: 0.18 }, encoding: bandY }
    : { mark: { type: 'rule' as const, strokeWidth: 2 }, encoding: bandY };
  const centre = numeric
    ? { mark: { type: 'line' as const, point: true, tooltip: true }, encoding: { y, color } }
    : { mark: { type: 'point' as const, filled: true, size: 60, tooltip: true }, encoding: { y, color } };
  const inner = { width: 420, height: 260, encoding: { x }, layer: [band, centre] };
  const spec = (others.length > 0
    ? { data: { values }, facet: { field: 'panel', type: 'nominal', title: null }, columns: 2, spec: inner }
    : { data: { values }, ...inner }) as TopLevelSpec;
  return {
    id: `sweep-${metric.column}-vs-${xPath.replace(/[^A-Za-z0-9]+/g, '-')}`,
    title: `${metric.title} vs ${xPath}`,
    caption:
      `Mean over ${input.seeds.length} seed${input.seeds.length === 1 ? '' : 's'} per policy` +
      (input.seeds.length > 1 ? `; the ${numeric ? 'band' : 'bar'} is the 95% confidence interval of the mean.` : '.') +
      (others.length > 0 ? ` One panel per value of ${others.join(' × ')}.` : '') +
      (metric.share ? '' : ' On the log axis, a band reaching 0 is drawn from the mean up.'),
    spec,
  };
}

/** Without an axis to draw along (only policies vary), one chart per metric across policies. */
function metricByPolicy(input: SweepReportInput, metric: SweepMetric): ChartSpec {
  const values = forAxis(metric, aggregateOverSeeds(input, metric.column)).map((g) => ({ ...g, setting: undefined }));
  const color = { field: 'policy', type: 'nominal' as const, title: 'Policy', scale: { domain: policyOrder(input) } };
  return {
    id: `sweep-${metric.column}-by-policy`,
    title: `${metric.title} per policy`,
    caption: `Mean over ${input.seeds.length} seed(s); the bar is the 95% confidence interval of the mean.`,
    spec: {
      width: 420,
      height: 30 * policyOrder(input).length + 20,
      data: { values },
      encoding: { y: { field: 'policy', type: 'nominal', title: null, sort: null }, color },
      layer: [
        { mark: { type: 'rule', strokeWidth: 2 }, encoding: { x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' } } },
        {
          mark: { type: 'point', filled: true, size: 60, tooltip: true },
          encoding: {
            x: {
              field: 'mean', type: 'quantitative', title: axisTitle(metric), axis: { format: metric.format },
              scale: yScale(metric),
            },
          },
        },
      ],
    },
  };
}

export function sweepCharts(input: SweepReportInput): ChartSpec[] {
  const axes = chartAxes(input);
  if (axes.length === 0) return SWEEP_CHART_METRICS.map((m) => metricByPolicy(input, m));
  return axes.flatMap((xPath) => SWEEP_CHART_METRICS.map((m) => metricVsAxis(input, m, xPath)));
}
