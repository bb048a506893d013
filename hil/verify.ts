/**
 * Verification of a calibrated profile against the device: measure held-out configurations (every level at
 * token counts between the fit's grid points), twice. Pass A against the profile's prediction gives the model
 * error (MAPE, p95 absolute percentage error, worst cases); pass B against pass A gives the noise floor — the
 * error two measurements of the same thing already show — so model error can be told from machine noise.
 */
import { quantile } from 'simple-statistics';
import { InputError } from '../base/errors.ts';
import { getArchitecture } from '../cost-models/architectures.ts';
import { blockV1, readDeviceProfile } from '../cost-models/calibrated.ts';
import { PLAN_SEED, levelDimsFor, jobPK, type DeviceProfile, type HilSetup } from './calibrate.ts';
import { Rng } from '../base/rng.ts';
import { heldOutJobs, type JobSettings } from './calibration-plan.ts';
import { scaleArchitecture } from './block-shape.ts';
import { HilController, type PlanProgress } from './controller.ts';
import { Journal } from './journal.ts';
import { summarizeJob } from './samples.ts';
import type { Job } from './protocol.ts';
import type { Architecture } from '../cost-models/types.ts';

export interface VerifyOptions {
  url: string;
  token: string | null;
  profile: string;
  journal: string;
  onProgress?: (p: PlanProgress) => void;
  log?: (line: string) => void;
}

/** One held-out configuration: what the profile predicted and what the device measured (pass A). */
export interface CalibrationRow {
  config: string;
  level: number;
  predictedMs: number;
  measuredMs: number;
}

export interface VerifyReport {
  /** Mean absolute percentage error of the prediction vs pass A, as a fraction. */
  mape: number;
  /** 95th percentile of the absolute percentage errors (simple-statistics quantile), as a fraction. */
  p95: number;
  /** MAPE of pass B against pass A: the machine's own repeatability. */
  noiseFloor: number;
  samples: number;
  worst: (CalibrationRow & { error: number })[];
  rows: CalibrationRow[];
  throttled: { jobId: string; reason: string }[];
}

/** Reads a calibrated profile written by `calibrate` (it must carry the HIL setup to rebuild the block). */
export function readHilProfile(file: string): DeviceProfile {
  const p = readDeviceProfile(file) as unknown as DeviceProfile;
  const hil = (p.provenance as { hil?: HilSetup }).hil;
  if (p.form !== 'block-v1' || !hil || typeof hil.model !== 'string' || typeof hil.block !== 'object' || !hil.grid) {
    throw new InputError(file, '/provenance/hil is missing: verify needs a profile written by `elastitwin calibrate`');
  }
  return p;
}

export async function verify(opts: VerifyOptions): Promise<VerifyReport> {
  const profile = readHilProfile(opts.profile);
  const hil = profile.provenance.hil;
  const arch = scaleArchitecture(getArchitecture(hil.model), hil.blockScale);
  const settings: JobSettings = {
    block: hil.block, dtype: profile.dtype, threads: profile.threads, dims: levelDimsFor(arch),
    warmup: hil.warmup, repetitions: hil.repetitions, cooldownMs: hil.cooldownMs,
  };
  // each pass in its own seeded order; pass B runs after pass A, so the noise floor includes drift over minutes
  const passA = Rng.fromSeed(PLAN_SEED).shuffle(heldOutJobs('a:', hil.grid, settings));
  const passB = Rng.fromSeed(PLAN_SEED + 1).shuffle(heldOutJobs('b:', hil.grid, settings));
  const jobs = [...passA, ...passB];
  const ctl = await HilController.connect({ url: opts.url, token: opts.token });
  const planId = `verify-${profile.device}-${jobs.length}`;
  const journal = Journal.open(opts.journal, planId, jobs);
  try {
    const { results, failures } = await ctl.runPlan(planId, jobs, { journal, onProgress: opts.onProgress, log: opts.log });
    if (failures.length > 0) opts.log?.(`${failures.length} held-out jobs failed: ${failures.map((f) => f.jobId).join(', ')}`);
    return compare(profile, passA, results, arch);
  } finally {
    journal.close();
    await ctl.close();
  }
}

function compare(profile: DeviceProfile, passA: Job[], results: Journal['results'], arch: Architecture): VerifyReport {
  const rows: CalibrationRow[] = [];
  const modelErrors: number[] = [];
  const noise: number[] = [];
  const throttled: VerifyReport['throttled'] = [];
  let samples = 0;
  const block = blockV1(profile.coefficients);
  for (const a of passA) {
    const ra = results.get(a.id);
    const rb = results.get(`b:${a.id.slice(2)}`);
    if (!ra || !rb) continue;
    const sa = summarizeJob(ra);
    const sb = summarizeJob(rb);
    samples += sa.repetitions + sb.repetitions;
    for (const s of [sa, sb]) if (s.throttled) throttled.push({ jobId: s.jobId, reason: s.throttled });
    const { P, K } = jobPK(a, arch);
    const predictedMs = a.op === 'block-prefill' ? block.prefillMs(P, K, a.tokens) : block.decodeMs(P, K, a.tokens);
    rows.push({ config: a.label ?? a.id, level: a.level!, predictedMs, measuredMs: sa.ms });
    modelErrors.push(Math.abs(predictedMs - sa.ms) / sa.ms);
    noise.push(Math.abs(sb.ms - sa.ms) / sa.ms);
  }
  if (rows.length === 0) throw new Error('no held-out configuration was measured in both passes');
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  const worst = rows
    .map((r, i) => ({ ...r, error: modelErrors[i]! }))
    .sort((x, y) => y.error - x.error || x.config.localeCompare(y.config))
    .slice(0, 5);
  return { mape: mean(modelErrors), p95: quantile(modelErrors, 0.95), noiseFloor: mean(noise), samples, worst, rows, throttled };
}
