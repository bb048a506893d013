/** What every chart of the report is: a titled Vega-Lite spec plus a sentence on what it tells. */
import type { TopLevelSpec } from 'vega-lite';
import type { RunSummary } from '../../sim/results.ts';

export interface ChartSpec {
  /** Stable id, used as the figure's `data-chart` attribute and as the SVG id prefix. */
  id: string;
  title: string;
  /** What the reader learns from it (shown under the chart and in docs/reports.md). */
  caption: string;
  spec: TopLevelSpec;
}

/** Colour by policy with a fixed domain, so a policy has the same colour in every chart. */
export function policyColor(summary: RunSummary) {
  return {
    field: 'policy',
    type: 'nominal' as const,
    title: 'Policy',
    scale: { domain: summary.policies.map((p) => p.policy) },
  };
}
