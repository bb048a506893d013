/**
 * From one job's raw repetitions to one trustworthy number, with everything doubtful named rather than
 * averaged away: single repetitions far from the rest (outliers by a robust z-score on the median absolute
 * deviation), and whole jobs run while the device throttled (thermal zones heated, the frequency cap dropped,
 * the governor changed) or whose timings drifted upward across the run.
 */
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { governors, maxTemperatureC } from './device-state.ts';
import type { JobResult } from './journal.ts';
import type { DeviceState, Job } from './protocol.ts';

/** A repetition is an outlier when its robust z-score exceeds this… */
export const OUTLIER_Z = 5;
/** …and it is also this far (relative) from the median (tight runs have a tiny MAD). */
export const OUTLIER_MIN_REL = 0.05;
/** Temperature rise (°C) across one job that marks it as run under thermal stress. */
export const THERMAL_RISE_C = 3;
/** Median of the last third above the first third by this factor marks a drifting (throttling) job. */
export const DRIFT_FACTOR = 1.15;

export interface JobSummary {
  jobId: string;
  /** Median of the kept repetitions, in ms. */
  ms: number;
  repetitions: number;
  /** Indices of repetitions set aside as outliers. */
  outliers: number[];
  /** Why the whole job is unfit for the fit, or null. */
  throttled: string | null;
}

function throttleReason(before: DeviceState, after: DeviceState): string | null {
  const t0 = maxTemperatureC(before);
  const t1 = maxTemperatureC(after);
  if (t0 !== null && t1 !== null && t1 - t0 > THERMAL_RISE_C) return `temperature rose ${(t1 - t0).toFixed(1)} °C during the job`;
  for (const c of after.cpus) {
    const b = before.cpus.find((x) => x.cpu === c.cpu);
    if (b?.maxKHz != null && c.maxKHz != null && c.maxKHz < b.maxKHz) return `cpu${c.cpu} frequency cap fell ${b.maxKHz} → ${c.maxKHz} kHz`;
  }
  const g0 = governors(before).join(',');
  const g1 = governors(after).join(',');
  if (g0 !== g1) return `governor changed ${g0} → ${g1}`;
  return null;
}

export function summarizeJob(result: JobResult): JobSummary {
  const ms = result.rawNs.map((ns) => ns / 1e6);
  const med = median(ms);
  const mad = ms.length > 2 ? medianAbsoluteDeviation(ms) * 1.4826 : 0;
  const outliers = ms
    .map((x, i) => ({ x, i }))
    .filter(({ x }) => Math.abs(x - med) > OUTLIER_MIN_REL * med && (mad === 0 || Math.abs(x - med) / mad > OUTLIER_Z))
    .map(({ i }) => i);
  const kept = ms.filter((_, i) => !outliers.includes(i));
  let throttled = throttleReason(result.before, result.after);
  if (throttled === null && kept.length >= 6) {
    // on the kept repetitions, in order: one outlier must not read as a trend
    const third = Math.floor(kept.length / 3);
    const first = median(kept.slice(0, third));
    const last = median(kept.slice(-third));
    if (last > first * DRIFT_FACTOR) throttled = `timings drifted up ${((last / first - 1) * 100).toFixed(0)} % across the repetitions`;
  }
  return { jobId: result.jobId, ms: median(kept.length > 0 ? kept : ms), repetitions: ms.length, outliers, throttled };
}

/** Thermal facts over a whole plan, for the profile's provenance. */
export function thermalSummary(jobs: Job[], results: Map<string, JobResult>): Record<string, unknown> {
  const temps: number[] = [];
  const govs = new Set<string>();
  for (const job of jobs) {
    const r = results.get(job.id);
    if (!r) continue;
    for (const s of [r.before, r.after]) {
      const t = maxTemperatureC(s);
      if (t !== null) temps.push(t);
      for (const g of governors(s)) govs.add(g);
    }
  }
  return {
    maxTemperatureC: temps.length ? Math.max(...temps) : null,
    minTemperatureC: temps.length ? Math.min(...temps) : null,
    thermalZonesReadable: temps.length > 0,
    governors: govs.size ? [...govs].sort() : null,
  };
}
