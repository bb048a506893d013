/**
 * The tidy table of a sweep: one row per run × policy, with the run's axis values and seed and the policy's
 * headline metrics from its summary.json. Written as results.csv and results.json (an array of row objects,
 * members in column order), ready for pandas, R or a spreadsheet. A pure function of the manifest and the
 * summaries, which is what makes sharded-and-merged output byte-identical to an unsharded run.
 */
import { stringify } from 'csv-stringify/sync';
import type { Metrics, RunSummary } from '../results.ts';
import type { ManifestRun, SweepManifest } from './manifest.ts';

/** Headline metric columns: name → value from a policy's overall metrics. */
export const METRIC_COLUMNS = {
  requests: (m: Metrics) => m.requests,
  served: (m: Metrics) => m.served,
  dropped: (m: Metrics) => m.dropped,
  accuracy_under_slo: (m: Metrics) => m.accuracyUnderSlo,
  accuracy: (m: Metrics) => m.accuracy,
  expected_accuracy: (m: Metrics) => m.expectedAccuracy,
  slo_attainment: (m: Metrics) => m.sloAttainment.both,
  slo_attainment_ttft: (m: Metrics) => m.sloAttainment.ttft,
  slo_attainment_tpot: (m: Metrics) => m.sloAttainment.tpot,
  ttft_p50_ms: (m: Metrics) => m.ttftMs.p50,
  ttft_p90_ms: (m: Metrics) => m.ttftMs.p90,
  ttft_p99_ms: (m: Metrics) => m.ttftMs.p99,
  tpot_p50_ms: (m: Metrics) => m.tpotMs.p50,
  tpot_p99_ms: (m: Metrics) => m.tpotMs.p99,
  queue_mean_ms: (m: Metrics) => m.queueMs.mean,
  tlm_ms_mean: (m: Metrics) => m.tlmMsMean,
  switches: (m: Metrics) => m.switches,
  switch_time_share: (m: Metrics) => m.switchTimeShareOfTtft,
  peak_memory_bytes: (m: Metrics) => m.peakMemoryBytes,
} satisfies Record<string, (m: Metrics) => number>;

export type MetricColumn = keyof typeof METRIC_COLUMNS;
export const METRIC_NAMES = Object.keys(METRIC_COLUMNS) as MetricColumn[];

export type Cell = string | number | boolean | null | unknown[] | Record<string, unknown>;
export type TidyRow = Record<string, Cell>;

export interface TidyTable {
  /** run_id, the axis paths, seed, policy, method, then METRIC_NAMES. */
  columns: string[];
  rows: TidyRow[];
}

export function tableColumns(manifest: SweepManifest): string[] {
  return ['run_id', ...manifest.axes.map((a) => a.path), 'seed', 'policy', 'method', ...METRIC_NAMES];
}

/** What the table takes from a run's summary.json: each policy's name, method and overall metrics. */
export interface RunPolicies {
  policies: readonly PolicyHeadline[];
}

/** A policy's name, method and overall metrics as summary.json has them (what a pool worker returns). */
export type PolicyHeadline = Pick<RunSummary['policies'][number], 'policy' | 'method' | 'overall'>;

/** Rows of `runs` (in the order given), each run's policies in its summary's order. */
export function buildTidyTable(
  manifest: SweepManifest,
  runs: readonly ManifestRun[],
  summaryOf: (id: string) => RunPolicies,
): TidyTable {
  const rows: TidyRow[] = [];
  for (const run of runs) {
    const summary = summaryOf(run.id);
    for (const p of summary.policies) {
      const row: TidyRow = { run_id: run.id };
      manifest.axes.forEach((axis, k) => (row[axis.path] = run.axisValues[k] as Cell));
      row.seed = run.seed;
      row.policy = p.policy;
      row.method = p.method;
      for (const name of METRIC_NAMES) row[name] = METRIC_COLUMNS[name](p.overall);
      rows.push(row);
    }
  }
  return { columns: tableColumns(manifest), rows };
}

/** Scalars as text (numbers in JavaScript's shortest round-trip form); arrays and objects as compact JSON. */
function csvCell(v: Cell | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function formatTableCsv(table: TidyTable): string {
  const records = table.rows.map((row) => table.columns.map((c) => csvCell(row[c])));
  return stringify([table.columns, ...records], { record_delimiter: '\n' });
}

export function formatTableJson(table: TidyTable): string {
  return JSON.stringify(table.rows, null, 2) + '\n';
}
