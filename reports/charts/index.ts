/** The report's charts, in reading order: outcomes, latency, choices and device state, calibration. */
import type { RunSummary } from '../../sim/results.ts';
import type { RequestRow } from '../../sim/results.ts';
import type { CalibrationFile } from '../calibration-types.ts';
import type { ChartSpec } from './chart.ts';
import { accuracyByPolicy, accuracyByClass, switchTimeShare } from './outcome.ts';
import { latencyCdf } from './latency.ts';
import { configHeatmap, timeline } from './configs.ts';
import { calibrationScatter, calibrationErrors } from './calibration.ts';

export type { ChartSpec } from './chart.ts';
export { renderSvg, warmUpChartRenderer, stopChartRenderer, type WarningSink } from './render.ts';

export function runCharts(summary: RunSummary, rows: readonly RequestRow[]): ChartSpec[] {
  const charts = [
    accuracyByPolicy(summary),
    accuracyByClass(summary),
    latencyCdf(summary, rows, 'ttft'),
    latencyCdf(summary, rows, 'tpot'),
    configHeatmap(summary),
    timeline(summary),
    switchTimeShare(summary),
  ];
  return charts.filter((c): c is ChartSpec => c !== null);
}

export function calibrationCharts(cal: CalibrationFile): ChartSpec[] {
  return [calibrationScatter(cal), calibrationErrors(cal)];
}
