/** What the policies chose and what the device did: config heatmaps and the timed-mode timeline. */
import type { RunSummary, PolicySummary } from '../../sim/results.ts';
import { policyColor, type ChartSpec } from './chart.ts';

/** A policy is elastic if it ran more than one (model level, prompt ratio) configuration. */
export function elasticPolicies(summary: RunSummary): PolicySummary[] {
  return summary.policies.filter((p) => p.configHistogram.filter((c) => c.count > 0).length > 1);
}

export function configHeatmap(summary: RunSummary): ChartSpec | null {
  const elastic = elasticPolicies(summary);
  if (elastic.length === 0) return null;
  const values = elastic.flatMap((p) =>
    p.configHistogram.filter((c) => c.count > 0).map((c) => ({
      policy: p.policy,
      model: c.modelRatio.toFixed(1),
      prompt: c.promptRatio.toFixed(1),
      count: c.count,
    })),
  );
  const darkAbove = Math.max(...values.map((v) => v.count)) * 0.5;
  // the whole grid, so heatmaps of different runs line up; values off the grid are appended
  const grid = (all: string[], key: 'model' | 'prompt') => {
    const extra = [...new Set(values.map((v) => v[key]))].filter((v) => !all.includes(v)).sort();
    return [...all, ...extra];
  };
  const levels = grid(['1.0', '0.9', '0.8', '0.7', '0.6', '0.5', '0.4', '0.3', '0.2'], 'model');
  const prompts = grid(['0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9', '1.0'], 'prompt');
  return {
    id: 'config-heatmap',
    title: 'Configurations chosen (model level × prompt ratio), per elastic policy',
    caption:
      'Number of requests run at each sub-model level (y) and prompt compression ratio (x). Mass in the upper ' +
      'right means full models on full prompts; a policy that trades width for prompt length moves left, one that ' +
      'shrinks the model moves down. Policies that always ran one configuration are not shown.',
    spec: {
      data: { values },
      facet: { field: 'policy', type: 'nominal', title: null, sort: elastic.map((p) => p.policy) },
      columns: 3,
      spec: {
        width: 300,
        height: 250,
        encoding: {
          x: { field: 'prompt', type: 'ordinal', title: 'prompt ratio kept', scale: { domain: prompts }, axis: { labelAngle: 0 } },
          y: { field: 'model', type: 'ordinal', title: 'model level', scale: { domain: levels } },
        },
        layer: [
          {
            mark: { type: 'rect', tooltip: true },
            encoding: { color: { field: 'count', type: 'quantitative', title: 'requests', scale: { scheme: 'blues', domainMin: 0 } } },
          },
          {
            mark: { type: 'text', fontSize: 11 },
            encoding: {
              text: { field: 'count', type: 'quantitative' },
              color: { condition: { test: `datum.count > ${darkAbove}`, value: 'white' }, value: '#222' },
            },
          },
        ],
      },
    },
  };
}

/** Timeline points kept per policy: each bucket of samples keeps its busiest one, so queue spikes survive. */
const TIMELINE_POINTS = 400;

export function downsampleTimeline(
  t: NonNullable<PolicySummary['timeline']>,
  maxPoints = TIMELINE_POINTS,
): Array<{ tS: number; queue: number; resident: number }> {
  const n = t.tMs.length;
  const out: Array<{ tS: number; queue: number; resident: number }> = [];
  const buckets = Math.min(n, maxPoints);
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets);
    const to = Math.floor(((b + 1) * n) / buckets);
    let best = from;
    for (let i = from + 1; i < to; i++) if (t.queueLength[i]! > t.queueLength[best]!) best = i;
    out.push({ tS: t.tMs[best]! / 1000, queue: t.queueLength[best]!, resident: t.residentModelRatio[best]! });
  }
  return out;
}

export function timeline(summary: RunSummary): ChartSpec | null {
  const withTimeline = summary.policies.filter((p) => p.timeline && p.timeline.tMs.length > 0);
  if (withTimeline.length === 0) return null;
  const values = withTimeline.flatMap((p) => downsampleTimeline(p.timeline!).map((v) => ({ policy: p.policy, ...v })));
  // symlog gets sparse default ticks: name 0, 1, 3, 10, 30, … up to the longest queue
  const longest = Math.max(1, ...values.map((v) => v.queue));
  const queueTicks = [0, ...[1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000].filter((v) => v <= longest * 1.5)];
  const x = { field: 'tS', type: 'quantitative' as const, title: 'time since start (s)' };
  const color = policyColor(summary);
  return {
    id: 'timeline',
    title: 'Queue length and resident model level over time',
    caption:
      'Top: requests waiting (busiest sample per time bucket, on a symmetric-log scale so a short queue stays ' +
      'visible next to a runaway one); load that outruns the device shows up as a ramp. ' +
      'Bottom: the level of the sub-model resident in memory; an elastic policy moves it with the load.',
    spec: {
      data: { values },
      vconcat: [
        {
          width: 760,
          height: 160,
          mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
          encoding: { x: { ...x, title: null }, y: { field: 'queue', type: 'quantitative', title: 'queue length (symlog)', scale: { type: 'symlog' }, axis: { values: queueTicks } }, color },
        },
        {
          width: 760,
          height: 140,
          mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 },
          encoding: {
            x,
            y: { field: 'resident', type: 'quantitative', title: 'resident model level', scale: { domain: [0, 1] } },
            color,
          },
        },
      ],
    },
  };
}
