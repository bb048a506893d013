/**
 * Measurement plans for calibration and verification. The calibration grid covers what the simulator asks
 * for — every model level, prompt lengths and context lengths across the range scenarios use — and is thinned
 * (levels first, then the longest lengths) until the estimated wall time fits the stated budget. Verification
 * measures held-out points: token counts between the grid's (geometric midpoints), so no verified
 * configuration was ever seen by the fit.
 */
import { MODEL_RATIOS } from '../cost-models/types.ts';
import type { LevelDims } from './block-shape.ts';
import type { BlockShape, Job, JobDtype } from './protocol.ts';

export interface Grid {
  levels: number[];
  promptTokens: number[];
  contextTokens: number[];
}

/** Prompt lengths (tokens) of the simulator's scenarios span a few dozen to ~2k; contexts add the output. */
export const DEFAULT_GRID: Grid = {
  levels: [...MODEL_RATIOS],
  promptTokens: [32, 96, 256, 640, 1280],
  contextTokens: [64, 256, 768, 1536],
};

/** Thinner level sets tried, in order, when the full grid does not fit the budget. */
const LEVEL_FALLBACKS = [[...MODEL_RATIOS], [0.2, 0.4, 0.6, 0.8, 1.0], [0.2, 0.5, 0.7, 1.0], [0.2, 0.6, 1.0]];

export interface JobSettings {
  block: BlockShape;
  dtype: JobDtype;
  threads: number;
  dims: (level: number) => LevelDims;
  warmup: number;
  repetitions: number;
  cooldownMs: number;
}

export const MIN_REPETITIONS = 5;
/**
 * Decode steps last ~1 ms (prefills 10-1000×longer) and are the noisiest: they get this many times the
 * repetitions, which costs little of the budget.
 */
export const DECODE_REPETITION_FACTOR = 3;
export const MAX_REPETITIONS = 15;

function job(prefix: string, op: Job['op'], level: number, tokens: number, s: JobSettings): Job {
  const d = s.dims(level);
  const tag = op === 'block-prefill' ? 'p' : 'd';
  return {
    id: `${prefix}${tag}-w${level}-t${tokens}`,
    label: `${op === 'block-prefill' ? 'prefill' : 'decode'} w=${level} ${op === 'block-prefill' ? 'n' : 'ctx'}=${tokens}`,
    op, dtype: s.dtype, block: s.block, level,
    activeHeads: d.activeHeads, activeFfn: d.activeFfn, tokens, threads: s.threads,
    warmup: s.warmup, repetitions: op === 'block-decode' ? s.repetitions * DECODE_REPETITION_FACTOR : s.repetitions, cooldownMs: s.cooldownMs,
  };
}

export function gridJobs(prefix: string, grid: Grid, s: JobSettings): Job[] {
  const jobs: Job[] = [];
  for (const level of grid.levels) for (const t of grid.promptTokens) jobs.push(job(prefix, 'block-prefill', level, t, s));
  for (const level of grid.levels) for (const t of grid.contextTokens) jobs.push(job(prefix, 'block-decode', level, t, s));
  return jobs;
}

/** Estimated wall time of one job in ms, from a probe of the biggest configurations. */
export type JobEstimate = (j: Job) => number;

export interface BudgetedPlan {
  grid: Grid;
  repetitions: number;
  estimatedS: number;
  /** What was given up to fit the budget, in words (empty when the full grid fits). */
  thinned: string[];
}

function planSeconds(jobs: Job[], estimate: JobEstimate): number {
  return jobs.reduce((s, j) => s + estimate(j) * (j.repetitions + j.warmup) + j.cooldownMs, 0) / 1000;
}

/**
 * The densest grid (and most repetitions, MIN..MAX) whose estimated time fits `budgetS`. Never thins below
 * 3 levels × 3 lengths per phase: if even that does not fit, it says so and runs that minimum.
 */
export function budgetPlan(full: Grid, s: JobSettings, estimate: JobEstimate, budgetS: number): BudgetedPlan {
  const thinned: string[] = [];
  const secs = (g: Grid, reps: number): number => planSeconds(gridJobs('', g, { ...s, repetitions: reps }), estimate);
  let grid = { ...full };
  for (const levels of LEVEL_FALLBACKS) {
    grid = { ...grid, levels: levels.filter((l) => full.levels.includes(l)) };
    if (secs(grid, MIN_REPETITIONS) <= budgetS) break;
  }
  if (grid.levels.length < full.levels.length) thinned.push(`levels ${full.levels.join(',')} → ${grid.levels.join(',')}`);
  while (secs(grid, MIN_REPETITIONS) > budgetS && (grid.promptTokens.length > 3 || grid.contextTokens.length > 3)) {
    const longestPrompt = grid.promptTokens.length > 3 ? grid.promptTokens.slice(0, -1) : grid.promptTokens;
    const longestContext = grid.contextTokens.length > 3 ? grid.contextTokens.slice(0, -1) : grid.contextTokens;
    grid = { ...grid, promptTokens: longestPrompt, contextTokens: longestContext };
  }
  if (grid.promptTokens.length < full.promptTokens.length) thinned.push(`prompt tokens ${full.promptTokens.join(',')} → ${grid.promptTokens.join(',')}`);
  if (grid.contextTokens.length < full.contextTokens.length) thinned.push(`context tokens ${full.contextTokens.join(',')} → ${grid.contextTokens.join(',')}`);
  let reps = MIN_REPETITIONS;
  while (reps < MAX_REPETITIONS && secs(grid, reps + 1) <= budgetS) reps++;
  const estimatedS = secs(grid, reps);
  if (estimatedS > budgetS) thinned.push(`even the minimum plan needs ~${estimatedS.toFixed(0)} s, over the ${budgetS} s budget`);
  return { grid, repetitions: reps, estimatedS, thinned };
}

/** Geometric midpoints between consecutive grid lengths: lengths the fit never saw. */
export function midpoints(lengths: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < lengths.length; i++) out.push(Math.round(Math.sqrt(lengths[i]! * lengths[i + 1]!)));
  return out;
}

/**
 * Held-out configurations: every level (including those thinned out of the fit) at off-grid lengths, spread
 * so each level meets two different midpoints per phase. Deterministic.
 */
export function heldOutJobs(prefix: string, fitGrid: Grid, s: JobSettings): Job[] {
  const prompts = midpoints(fitGrid.promptTokens);
  const contexts = midpoints(fitGrid.contextTokens);
  const jobs: Job[] = [];
  MODEL_RATIOS.forEach((level, i) => {
    for (const k of [i, i + 1]) jobs.push(job(prefix, 'block-prefill', level, prompts[k % prompts.length]!, s));
  });
  MODEL_RATIOS.forEach((level, i) => {
    for (const k of [i, i + 2]) jobs.push(job(prefix, 'block-decode', level, contexts[k % contexts.length]!, s));
  });
  const seen = new Set<string>();
  return jobs.filter((j) => !seen.has(j.id) && seen.add(j.id));
}
