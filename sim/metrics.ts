/**
 * Aggregates one policy's outcomes into the metrics of summary.json, overall and per SLO class.
 * Denominators are all requests of the group (dropped ones count as neither correct nor on time).
 * Percentiles: simple-statistics quantileSorted (R type 7), over served requests.
 */
import { quantileSorted } from 'simple-statistics';
import type { RequestTable } from './request-table.ts';
import type { ServiceResult } from './service.ts';
import {
  FLAG_CORRECT, FLAG_SERVED, FLAG_SWITCHED, FLAG_TPOT_OK, FLAG_TTFT_OK, type OutcomeTable,
} from './outcomes.ts';
import type { ClassSummary, ConfigCount, Metrics, Percentiles, PolicySummary } from './results.ts';

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

function percentiles(values: Float64Array): Percentiles {
  if (values.length === 0) return { mean: 0, p50: 0, p90: 0, p99: 0 };
  values.sort();
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k]!;
  const xs = values as unknown as number[];
  return {
    mean: round(sum / values.length, 3),
    p50: round(quantileSorted(xs, 0.5), 3),
    p90: round(quantileSorted(xs, 0.9), 3),
    p99: round(quantileSorted(xs, 0.99), 3),
  };
}

/** Metrics over the requests selected by `member` (all when null). */
export function computeMetrics(
  table: RequestTable,
  out: OutcomeTable,
  member: ((i: number) => boolean) | null,
  peakMemoryBytes: number,
): Metrics {
  const n = table.length;
  let requests = 0;
  let served = 0;
  let correct = 0;
  let expected = 0;
  let onTimeCorrect = 0;
  let ttftOk = 0;
  let tpotOk = 0;
  let both = 0;
  let switches = 0;
  let switchSum = 0;
  let ttftSum = 0;
  let tlmSum = 0;
  for (let i = 0; i < n; i++) {
    if (member && !member(i)) continue;
    requests++;
    const f = out.flags[i]!;
    if (!(f & FLAG_SERVED)) continue;
    served++;
    expected += out.quality[i]!;
    const ok1 = (f & FLAG_TTFT_OK) !== 0;
    const ok2 = (f & FLAG_TPOT_OK) !== 0;
    if (ok1) ttftOk++;
    if (ok2) tpotOk++;
    if (ok1 && ok2) both++;
    if (f & FLAG_CORRECT) {
      correct++;
      if (ok1 && ok2) onTimeCorrect++;
    }
    if (f & FLAG_SWITCHED) switches++;
    switchSum += out.switchMs[i]!;
    ttftSum += out.ttftMs(i);
    tlmSum += out.tlmMs[i]!;
  }
  const ttft = new Float64Array(served);
  const tpot = new Float64Array(served);
  const queue = new Float64Array(served);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if ((member && !member(i)) || !(out.flags[i]! & FLAG_SERVED)) continue;
    ttft[k] = out.ttftMs(i);
    tpot[k] = out.tpotMs[i]!;
    queue[k] = out.queueMs[i]!;
    k++;
  }
  const share = (x: number): number => (requests === 0 ? 0 : round(x / requests, 6));
  return {
    requests,
    served,
    dropped: requests - served,
    accuracy: share(correct),
    expectedAccuracy: share(expected),
    accuracyUnderSlo: share(onTimeCorrect),
    sloAttainment: { ttft: share(ttftOk), tpot: share(tpotOk), both: share(both) },
    ttftMs: percentiles(ttft),
    tpotMs: percentiles(tpot),
    queueMs: percentiles(queue),
    tlmMsMean: served === 0 ? 0 : round(tlmSum / served, 3),
    switches,
    switchTimeShareOfTtft: ttftSum === 0 ? 0 : round(switchSum / ttftSum, 6),
    peakMemoryBytes,
  };
}

function configHistogram(out: OutcomeTable): ConfigCount[] {
  const counts = new Map<number, number>();
  for (let i = 0; i < out.length; i++) {
    if (!(out.flags[i]! & FLAG_SERVED)) continue;
    const key = out.modelTenths[i]! * 16 + out.promptTenths[i]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([key, count]) => ({ modelRatio: Math.floor(key / 16) / 10, promptRatio: (key % 16) / 10, count }));
}

export function summarizePolicy(
  policy: string,
  method: string,
  table: RequestTable,
  result: ServiceResult,
): PolicySummary {
  const out = result.outcomes;
  const perClass: ClassSummary[] = table.classes.map((c, k) => ({
    app: c.app,
    dataset: c.dataset,
    slo: { ...c.slo },
    metrics: computeMetrics(table, out, (i) => table.classIndex[i] === k, result.peakMemoryBytes),
  }));
  const summary: PolicySummary = {
    policy,
    method,
    overall: computeMetrics(table, out, null, result.peakMemoryBytes),
    perClass,
    configHistogram: configHistogram(out),
  };
  if (result.timeline) {
    summary.timeline = {
      tMs: result.timeline.tMs.map((t) => round(t, 3)),
      queueLength: result.timeline.queueLength,
      residentModelRatio: result.timeline.residentModelRatio,
    };
  }
  return summary;
}
