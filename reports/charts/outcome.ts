/** Outcome charts from summary.json alone: accuracy per policy and per SLO class, switching time share. */
import type { RunSummary } from '../../sim/results.ts';
import { policyColor, type ChartSpec } from './chart.ts';

const UNDER_SLO = 'accuracy under SLO';
const PLAIN = 'accuracy (any latency)';
const shareAxis = { format: '.0%', title: null } as const;

export function accuracyByPolicy(summary: RunSummary): ChartSpec {
  const values = summary.policies.flatMap((p) => [
    { policy: p.policy, metric: UNDER_SLO, value: p.overall.accuracyUnderSlo },
    { policy: p.policy, metric: PLAIN, value: p.overall.accuracy },
  ]);
  return {
    id: 'accuracy-by-policy',
    title: 'Accuracy under SLO and plain accuracy, per policy',
    caption:
      'Dark bars: share of requests answered correctly and within both SLOs (the headline); light bars: share ' +
      'answered correctly at any latency (the paper\'s metric). The gap is accuracy lost to missed deadlines.',
    spec: {
      width: 560,
      height: 260,
      data: { values },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        y: { field: 'policy', type: 'nominal', title: null, sort: null },
        yOffset: { field: 'metric', sort: [UNDER_SLO, PLAIN] },
        x: { field: 'value', type: 'quantitative', axis: shareAxis, scale: { domain: [0, 1] } },
        color: policyColor(summary),
        opacity: {
          field: 'metric', type: 'ordinal', title: 'Metric', sort: [UNDER_SLO, PLAIN],
          scale: { domain: [UNDER_SLO, PLAIN], range: [1, 0.4] },
        },
      },
    },
  };
}

export function accuracyByClass(summary: RunSummary): ChartSpec {
  const values = summary.policies.flatMap((p) =>
    p.perClass.flatMap((c) => {
      const slo = c.slo.unit === 'ratio' ? `⟨${c.slo.ttft}, ${c.slo.tpot}⟩` : `⟨${c.slo.ttft}, ${c.slo.tpot}⟩ ms`;
      const cls = `${c.app} ${slo}`;
      return [
        { policy: p.policy, cls, metric: UNDER_SLO, value: c.metrics.accuracyUnderSlo },
        { policy: p.policy, cls, metric: PLAIN, value: c.metrics.accuracy },
      ];
    }),
  );
  const classOrder = [...new Set(values.map((v) => v.cls))];
  return {
    id: 'accuracy-by-class',
    title: 'Accuracy per SLO class (app ⟨TTFT, TPOT⟩ SLO)',
    caption:
      'Grouped bars per SLO class, loosest SLO on the left: where the SLO tightens, policies that cannot shrink ' +
      'the model or the prompt lose their answers to missed deadlines.',
    spec: {
      data: { values },
      facet: { row: { field: 'metric', type: 'nominal', title: null, sort: [UNDER_SLO, PLAIN] } },
      spec: {
        width: 760,
        height: 170,
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'cls', type: 'nominal', title: null, sort: classOrder, axis: { labelAngle: 0 } },
          xOffset: { field: 'policy', sort: summary.policies.map((p) => p.policy) },
          y: { field: 'value', type: 'quantitative', axis: shareAxis, scale: { domain: [0, 1] } },
          color: policyColor(summary),
        },
      },
    },
  };
}

export function switchTimeShare(summary: RunSummary): ChartSpec {
  const values = summary.policies.map((p) => ({
    policy: p.policy,
    share: p.overall.switchTimeShareOfTtft,
    label: `${(p.overall.switchTimeShareOfTtft * 100).toFixed(2)}% · ${p.overall.switches} switches`,
  }));
  return {
    id: 'switch-share',
    title: 'Switching time as a share of TTFT',
    caption:
      'Time spent changing the resident model (pointer move + LoRA swap for ElastiLM, reloads for others) over ' +
      'the total TTFT; the label gives the number of switches.',
    spec: {
      width: 560,
      height: 30 * summary.policies.length + 20,
      data: { values },
      encoding: {
        y: { field: 'policy', type: 'nominal', title: null, sort: null },
        x: { field: 'share', type: 'quantitative', axis: { format: '.2~%', title: 'switch time / TTFT' } },
      },
      layer: [
        { mark: { type: 'bar', tooltip: true }, encoding: { color: { ...policyColor(summary), legend: null } } },
        { mark: { type: 'text', align: 'left', dx: 4, fontSize: 12 }, encoding: { text: { field: 'label' } } },
      ],
    },
  };
}
