/**
 * The tables of a run, as plain rows of formatted cells. summary.md renders them as Markdown and report.html
 * as HTML, so both always show the same numbers with the same rounding.
 */
import type { Metrics, RunSummary, ClassSummary } from '../sim/results.ts';

export interface Table {
  title: string;
  headers: string[];
  /** Which columns hold numbers (right-aligned). */
  numeric: boolean[];
  rows: string[][];
}

export const pct = (share: number): string => `${(share * 100).toFixed(1)}%`;
export const ms = (value: number): string => value.toFixed(1);
export const gib = (bytes: number): string => (bytes / 2 ** 30).toFixed(2);

/** "⟨0.8, 0.9⟩ × full" for ratio SLOs, "⟨400 ms, 90 ms⟩" for absolute ones. */
export function sloLabel(slo: ClassSummary['slo']): string {
  return slo.unit === 'ratio' ? `⟨${slo.ttft}, ${slo.tpot}⟩ × full` : `⟨${slo.ttft} ms, ${slo.tpot} ms⟩`;
}

function comparisonCells(m: Metrics): string[] {
  return [
    pct(m.accuracyUnderSlo),
    pct(m.accuracy),
    pct(m.sloAttainment.ttft),
    pct(m.sloAttainment.tpot),
    pct(m.sloAttainment.both),
    ms(m.ttftMs.p50),
    ms(m.ttftMs.p99),
    ms(m.tpotMs.p50),
    ms(m.tpotMs.p99),
    ms(m.queueMs.mean),
    String(m.switches),
    pct(m.switchTimeShareOfTtft),
    gib(m.peakMemoryBytes),
  ];
}

export function comparisonTable(summary: RunSummary): Table {
  const headers = [
    'Policy', 'Acc. under SLO', 'Accuracy', 'SLO TTFT', 'SLO TPOT', 'SLO both', 'TTFT p50 (ms)', 'TTFT p99 (ms)',
    'TPOT p50 (ms)', 'TPOT p99 (ms)', 'Queue mean (ms)', 'Switches', 'Switch time / TTFT', 'Peak memory (GiB)',
  ];
  return {
    title: 'Policies compared',
    headers,
    numeric: headers.map((_, i) => i > 0),
    rows: summary.policies.map((p) => [p.policy, ...comparisonCells(p.overall)]),
  };
}

export function perClassTable(summary: RunSummary): Table {
  const headers = [
    'SLO class (app)', 'Dataset', 'SLO ⟨TTFT, TPOT⟩', 'Policy', 'Requests', 'Acc. under SLO', 'Accuracy',
    'SLO both', 'TTFT p99 (ms)', 'TPOT p99 (ms)',
  ];
  const apps = [...new Set(summary.policies.flatMap((p) => p.perClass.map((c) => c.app)))];
  const rows: string[][] = [];
  for (const app of apps) {
    for (const p of summary.policies) {
      const c = p.perClass.find((k) => k.app === app);
      if (!c) continue;
      const m = c.metrics;
      rows.push([
        c.app, c.dataset, sloLabel(c.slo), p.policy, String(m.requests), pct(m.accuracyUnderSlo), pct(m.accuracy),
        pct(m.sloAttainment.both), ms(m.ttftMs.p99), ms(m.tpotMs.p99),
      ]);
    }
  }
  return { title: 'Per SLO class', headers, numeric: headers.map((_, i) => i >= 4), rows };
}
