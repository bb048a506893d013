/**
 * Calibration: probe the agent, size a plan to the time budget, run it (journaled, resumable), summarise
 * each job robustly, fit the block cost model and build a device profile whose provenance says where every
 * number came from. Doubtful samples (outlier repetitions, throttled jobs) are counted and listed, and
 * throttled jobs are left out of the fit rather than averaged in.
 */
import { createHash } from 'node:crypto';
import { getArchitecture } from '../cost-models/architectures.ts';
import { subModelDims } from '../cost-models/levels.ts';
import type { Architecture } from '../cost-models/types.ts';
import { InputError } from '../base/errors.ts';
import { Rng } from '../base/rng.ts';
import { VERSION } from '../base/version.ts';
import { layerParams } from '../cost-models/params.ts';
import { blockShapeOf, scaleArchitecture, type LevelDims } from './block-shape.ts';
import { DEFAULT_GRID, budgetPlan, gridJobs, type BudgetedPlan, type Grid, type JobSettings } from './calibration-plan.ts';
import { HilController, type PlanProgress } from './controller.ts';
import { fitBlockCoefficients, type BlockCoefficients, type FitPoint, type FitResiduals } from './fit.ts';
import { Journal, type JobResult } from './journal.ts';
import type { CapabilitiesMsg, Job, JobDtype } from './protocol.ts';
import { summarizeJob, thermalSummary, type JobSummary } from './samples.ts';

export interface CalibrateOptions {
  url: string;
  token: string | null;
  device: string;
  model: string;
  journal: string;
  /** Shrinks the measured block (heads and FFN); 1 = the model's real block. */
  blockScale?: number;
  dtype?: JobDtype;
  threads?: number;
  budgetS?: number;
  grid?: Grid;
  warmup?: number;
  cooldownMs?: number;
  onProgress?: (p: PlanProgress) => void;
  log?: (line: string) => void;
}

/** What verify needs to rebuild the measured block and choose held-out points; stored in the profile. */
export interface HilSetup {
  model: string;
  blockScale: number;
  block: Job['block'];
  grid: Grid;
  warmup: number;
  repetitions: number;
  cooldownMs: number;
}

export interface DeviceProfile {
  schemaVersion: 1;
  device: string;
  dtype: JobDtype;
  threads: number;
  form: 'block-v1';
  coefficients: BlockCoefficients;
  provenance: Record<string, unknown> & { source: 'hil-calibration'; date: string; tool: string; hil: HilSetup };
}

export interface CalibrationReport {
  plan: BudgetedPlan | null;
  resumedResults: number;
  jobs: number;
  samples: number;
  outliers: { jobId: string; repetitions: number[] }[];
  throttled: { jobId: string; reason: string }[];
  /** Jobs the robust fit set aside (consistent outliers across all their repetitions, e.g. contention). */
  fitSetAside: string[];
  failures: { jobId: string; code: string; message: string }[];
  residuals: { prefill: FitResiduals; decode: FitResiduals };
  measuredS: number;
}

export const DEFAULT_BUDGET_S = 300;
/** Seed of the measurement order (plans are reproducible). */
export const PLAN_SEED = 20251;
const PROBE_REPS = 2;

export function levelDimsFor(arch: Architecture): (level: number) => LevelDims {
  return (level) => {
    const d = subModelDims(arch, level);
    return { level, activeHeads: d.heads, activeFfn: d.ffn };
  };
}

/**
 * P and K of a job, the fit's variables, counted exactly as composeFromBlocks counts them (cost-models
 * layerParams of the measured — possibly scaled — architecture at the job's active dims).
 */
export function jobPK(job: Job, arch: Architecture): { P: number; K: number } {
  const group = job.block.heads / job.block.kvHeads;
  const dims = { heads: job.activeHeads, kvHeads: job.activeHeads / group, attnDim: job.activeHeads * job.block.headDim, ffn: job.activeFfn };
  const p = layerParams(arch, dims);
  return { P: (p.attn + p.mlp) / 1e6, K: dims.attnDim / 1e3 };
}

export function fitPoint(job: Job, summary: JobSummary, arch: Architecture): FitPoint {
  return { id: job.id, op: job.op, ...jobPK(job, arch), tokens: job.tokens, ms: summary.ms };
}

/** Time the two most expensive configurations once, to estimate every job of the grid. */
async function probe(ctl: HilController, full: Grid, s: JobSettings, arch: Architecture): Promise<(j: Job) => number> {
  const grid: Grid = { levels: [1], promptTokens: [Math.max(...full.promptTokens)], contextTokens: [Math.max(...full.contextTokens)] };
  const jobs = gridJobs('probe:', grid, { ...s, warmup: 1, repetitions: PROBE_REPS, cooldownMs: 0 });
  const { results } = await ctl.runPlan(`probe-${Date.now()}`, jobs);
  const ms = (j: Job): number => summarizeJob(results.get(j.id)!).ms;
  const [pre, dec] = jobs as [Job, Job];
  const preWork = (j: Job): number => { const { P, K } = jobPK(j, arch); return j.tokens * P + (j.tokens * j.tokens * K) / 10; };
  const decWork = (j: Job): number => jobPK(j, arch).P;
  // linear scaling in work with a floor for fixed costs: an estimate for budgeting, not the model
  return (j) => j.op === 'block-prefill'
    ? ms(pre) * Math.max(0.01, preWork(j) / preWork(pre))
    : ms(dec) * Math.max(0.05, decWork(j) / decWork(dec));
}

function planIdOf(jobs: Job[]): string {
  return `cal-${createHash('sha256').update(JSON.stringify(jobs)).digest('hex').slice(0, 12)}`;
}

export async function calibrate(opts: CalibrateOptions): Promise<{ profile: DeviceProfile; report: CalibrationReport }> {
  const log = opts.log ?? (() => undefined);
  const fullArch = getArchitecture(opts.model);
  const blockScale = opts.blockScale ?? 1;
  const arch = scaleArchitecture(fullArch, blockScale);
  const grid0 = opts.grid ?? DEFAULT_GRID;
  const ctl = await HilController.connect({ url: opts.url, token: opts.token });
  try {
    const caps = ctl.capabilities;
    const threads = opts.threads ?? Math.min(caps.addon?.maxThreads ?? 1, caps.cores);
    // room for the held-out lengths too (they lie between grid points, so the grid max bounds them)
    const maxContext = Math.max(...grid0.promptTokens, ...grid0.contextTokens) + 1;
    const settings: JobSettings = {
      block: blockShapeOf(arch, maxContext), dtype: opts.dtype ?? 'fp32', threads, dims: levelDimsFor(arch),
      warmup: opts.warmup ?? 2, repetitions: 5, cooldownMs: opts.cooldownMs ?? 0,
    };
    const started = Date.now();
    const resumed = Journal.readPlan(opts.journal);
    let plan: BudgetedPlan | null = null;
    let jobs: Job[];
    let planId: string;
    if (resumed) {
      ({ planId, jobs } = resumed);
      const j = resumed.jobs[0];
      if (!j || JSON.stringify(j.block) !== JSON.stringify(settings.block) || j.dtype !== settings.dtype || j.threads !== settings.threads) {
        throw new InputError(opts.journal, 'this journal measured another block, dtype or thread count than the flags ask for; use another --journal or the original flags');
      }
      log(`resuming plan ${planId} from ${opts.journal}`);
    } else {
      ctl.requireSupport(gridJobs('', grid0, settings).slice(0, 1));
      const estimate = await probe(ctl, grid0, settings, arch);
      plan = budgetPlan(grid0, settings, estimate, opts.budgetS ?? DEFAULT_BUDGET_S);
      for (const t of plan.thinned) log(`budget: ${t}`);
      // seeded shuffle: a burst of load on the device then hits scattered configurations, not one whole level
      jobs = Rng.fromSeed(PLAN_SEED).shuffle(gridJobs('', plan.grid, { ...settings, repetitions: plan.repetitions }));
      planId = planIdOf(jobs);
      log(`plan ${planId}: ${jobs.length} jobs × ${plan.repetitions} repetitions, ~${plan.estimatedS.toFixed(0)} s estimated`);
    }
    const journal = Journal.open(opts.journal, planId, jobs);
    const resumedResults = journal.resumed;
    let outcome;
    try {
      outcome = await ctl.runPlan(planId, jobs, { journal, onProgress: opts.onProgress, log });
    } finally {
      journal.close();
    }
    const measuredS = (Date.now() - started) / 1000;
    return buildProfile(opts, caps, arch, blockScale, jobs, outcome.results, outcome.failures, plan, resumedResults, measuredS);
  } finally {
    await ctl.close();
  }
}

function buildProfile(
  opts: CalibrateOptions, caps: CapabilitiesMsg, arch: Architecture, blockScale: number, jobs: Job[],
  results: Map<string, JobResult>, failures: CalibrationReport['failures'], plan: BudgetedPlan | null,
  resumedResults: number, measuredS: number,
): { profile: DeviceProfile; report: CalibrationReport } {
  const summaries = jobs.filter((j) => results.has(j.id)).map((j) => ({ job: j, s: summarizeJob(results.get(j.id)!) }));
  const throttled = summaries.filter((x) => x.s.throttled !== null).map((x) => ({ jobId: x.job.id, reason: x.s.throttled! }));
  const outliers = summaries.filter((x) => x.s.outliers.length > 0).map((x) => ({ jobId: x.job.id, repetitions: x.s.outliers }));
  const points = summaries.filter((x) => x.s.throttled === null).map((x) => fitPoint(x.job, x.s, arch));
  const perPhase = (op: Job['op']): number => points.filter((p) => p.op === op).length;
  if (perPhase('block-prefill') < 3 || perPhase('block-decode') < 3) {
    throw new InputError(opts.journal, `only ${points.length} usable jobs (${throttled.length} throttled, ${failures.length} failed): too few to fit; cool the device (--cooldown-ms) and run again with a new journal`);
  }
  const { coefficients, residuals } = fitBlockCoefficients(points);
  const fitSetAside = [...residuals.prefill.setAside, ...residuals.decode.setAside];
  const first = jobs[0]!;
  const grid: Grid = {
    levels: [...new Set(jobs.map((j) => j.level!))],
    promptTokens: [...new Set(jobs.filter((j) => j.op === 'block-prefill').map((j) => j.tokens))],
    contextTokens: [...new Set(jobs.filter((j) => j.op === 'block-decode').map((j) => j.tokens))],
  };
  const samples = summaries.reduce((n, x) => n + x.s.repetitions, 0);
  const report: CalibrationReport = { plan, resumedResults, jobs: jobs.length, samples, outliers, throttled, fitSetAside, failures, residuals, measuredS };
  const profile: DeviceProfile = {
    schemaVersion: 1,
    device: opts.device,
    dtype: first.dtype,
    threads: first.threads,
    form: 'block-v1',
    coefficients,
    provenance: {
      source: 'hil-calibration',
      date: new Date().toISOString(),
      tool: `elastitwin ${VERSION}`,
      agent: { url: opts.url, agentVersion: caps.agentVersion, platform: caps.platform, cores: caps.cores, memoryBytes: caps.memoryBytes },
      kernelBuild: caps.addon?.version ?? null,
      simd: caps.addon?.simd ?? null,
      fp16Native: caps.addon?.fp16Native ?? null,
      threads: first.threads,
      thermal: thermalSummary(jobs, results),
      sampleCounts: {
        jobs: jobs.length, fitted: points.length - fitSetAside.length, repetitions: samples,
        outlierRepetitions: outliers.reduce((n, o) => n + o.repetitions.length, 0),
        throttledJobs: throttled.length, failedJobs: failures.length,
      },
      fitResiduals: residuals,
      budget: plan ? { statedS: opts.budgetS ?? DEFAULT_BUDGET_S, estimatedS: Math.round(plan.estimatedS), thinned: plan.thinned } : null,
      measuredS: Math.round(measuredS),
      hil: {
        model: opts.model, blockScale, block: first.block, grid,
        warmup: first.warmup, repetitions: jobs.find((j) => j.op === 'block-prefill')?.repetitions ?? first.repetitions, cooldownMs: first.cooldownMs,
      },
    },
  };
  return { profile, report };
}
