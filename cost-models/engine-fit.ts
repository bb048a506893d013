/**
 * Fitting SoC × engine profiles to the published measurements (cost-models/measurements.csv): least squares
 * on log(predicted / published) tokens/s (ml-levenberg-marquardt), parameters in log space and bounded so
 * shares stay in (0, 1] (no efficiency above 1, no bandwidth above the SoC's DRAM peak). What the rows of a
 * SoC × engine do not pin down keeps its prior (cost-models/engine-priors.json); a SoC with no rows for an
 * engine gets the shares fitted on another SoC (shares of its own peaks), else the priors.
 */
import { readFileSync } from 'node:fs';
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { composeFromBlocks } from './compose.ts';
import { engineRates, rateBlock } from './engine-latency.ts';
import { getEngine, listEngines } from './engines.ts';
import { fullShape } from './levels.ts';
import type { Measurement } from './measurements.ts';
import { shippedSocs, type EngineProfile, type SocSpec } from './socs.ts';

export const ENGINE_PRIORS = new URL('./engine-priors.json', import.meta.url);

type Shares = Record<string, number>;
interface PriorProfile {
  bandwidthShare: number;
  perCoreGBps?: number;
  prefillEfficiency: Shares;
  decodeEfficiency: Shares;
  layerOverheadMs: number;
  tokenOverheadMs: number;
  sources: Record<string, string>;
}

export function readEnginePriors(): Record<string, PriorProfile> {
  return (JSON.parse(readFileSync(ENGINE_PRIORS, 'utf8')) as { engines: Record<string, PriorProfile> }).engines;
}

export type Phase = 'prefill' | 'decode';

/** Predicted prefill and decode tokens/s of a measurement row under a profile. */
export function predictRow(m: Measurement, soc: SocSpec, p: EngineProfile): { prefill: number | null; decode: number } {
  const rates = engineRates(m.arch, soc, getEngine(m.engine), p, m.precision, m.threads);
  const c = composeFromBlocks(m.arch, rateBlock(rates));
  const shape = fullShape(m.arch);
  const t = rates.tokenOverheadMs;
  const prefill = m.promptTokens === null ? null : (m.promptTokens * 1e3) / (t + c.prefillMs(shape, m.promptTokens));
  return { prefill, decode: 1e3 / (t + c.decodeStepMs(shape, m.contextTokens)) };
}

/** One fitted parameter: where it goes in the profile. */
interface Param {
  name: string;
  prior(p: EngineProfile): number;
  min: number;
  max: number;
  set(p: EngineProfile, v: number): void;
}

const LOG_SHARE_MIN = Math.log(1e-4);
const LOG_OVERHEAD_MIN = Math.log(1e-3);
/** Weight of a share's log distance from its prior against one observation's log miss. */
const PRIOR_WEIGHT = 0.1;

function paramsFor(rows: Measurement[]): Param[] {
  const out: Param[] = [];
  const share = (name: string, prior: (p: EngineProfile) => number, set: (p: EngineProfile, v: number) => void): void =>
    void out.push({ name, min: LOG_SHARE_MIN, max: 0, prior, set });
  if (rows.some((r) => r.decodeTokS !== null)) share('bandwidthShare', (p) => p.bandwidthShare, (p, v) => (p.bandwidthShare = v));
  for (const prec of [...new Set(rows.filter((r) => r.prefillTokS !== null).map((r) => r.precision))].sort()) {
    share(`prefillEfficiency.${prec}`, (p) => p.prefillEfficiency[prec]!, (p, v) => (p.prefillEfficiency[prec] = v));
  }
  for (const prec of [...new Set(rows.filter((r) => r.decodeTokS !== null).map((r) => r.precision))].sort()) {
    share(`decodeEfficiency.${prec}`, (p) => p.decodeEfficiency[prec]!, (p, v) => (p.decodeEfficiency[prec] = v));
  }
  // a fixed per-call cost needs more observations than shares to be told apart from them
  const observations = rows.reduce((n, r) => n + (r.prefillTokS !== null ? 1 : 0) + (r.decodeTokS !== null ? 1 : 0), 0);
  if (observations > out.length + 1) {
    out.push({ name: 'tokenOverheadMs', min: LOG_OVERHEAD_MIN, max: Math.log(200), prior: () => 1e-2, set: (p, v) => (p.tokenOverheadMs = v) });
  }
  return out;
}

function priorProfile(engine: string, priors: Record<string, PriorProfile>): EngineProfile {
  const q = priors[engine];
  if (!q) throw new Error(`cost-models/engine-priors.json has no engine "${engine}"`);
  const p: EngineProfile = {
    bandwidthShare: q.bandwidthShare,
    prefillEfficiency: { ...q.prefillEfficiency },
    decodeEfficiency: { ...q.decodeEfficiency },
    layerOverheadMs: q.layerOverheadMs,
    tokenOverheadMs: q.tokenOverheadMs,
    provenance: {},
  };
  if (q.perCoreGBps !== undefined) p.perCoreGBps = q.perCoreGBps;
  return p;
}

function withValues(base: EngineProfile, params: Param[], logValues: number[]): EngineProfile {
  const p: EngineProfile = { ...base, prefillEfficiency: { ...base.prefillEfficiency }, decodeEfficiency: { ...base.decodeEfficiency } };
  params.forEach((q, i) => q.set(p, Math.exp(logValues[i]!)));
  return p;
}

function observations(rows: Measurement[]): Array<{ row: Measurement; phase: Phase; published: number }> {
  const out: Array<{ row: Measurement; phase: Phase; published: number }> = [];
  for (const row of rows) {
    if (row.prefillTokS !== null) out.push({ row, phase: 'prefill', published: row.prefillTokS });
    if (row.decodeTokS !== null) out.push({ row, phase: 'decode', published: row.decodeTokS });
  }
  return out;
}

/** Four significant digits: the shipped files stay readable and a refit reproduces them exactly. */
const round = (x: number): number => Number(x.toPrecision(4));

/** Least squares of one SoC × engine's rows from its prior. */
function fitGroup(soc: SocSpec, engine: string, rows: Measurement[], priors: Record<string, PriorProfile>): { profile: EngineProfile; fitted: string[] } {
  const base = priorProfile(engine, priors);
  const params = paramsFor(rows);
  const obs = observations(rows);
  const initial = params.map((q) => Math.min(q.max, Math.max(q.min, Math.log(q.prior(base)))));
  const residuals = (v: number[]): number[] => {
    const p = withValues(base, params, v);
    const misses = obs.map((o) => {
      const pred = predictRow(o.row, soc, p);
      return Math.log((o.phase === 'prefill' ? pred.prefill! : pred.decode) / o.published);
    });
    // a weak pull toward each share's prior: what the rows cannot tell apart stays near its sourced value
    for (const [i, q] of params.entries()) if (q.name !== 'tokenOverheadMs') misses.push(PRIOR_WEIGHT * (v[i]! - initial[i]!));
    return misses;
  };
  // the solver wants more than two points: a lone row is padded with residuals that are always 0
  const n = Math.max(3, obs.length + params.filter((q) => q.name !== 'tokenOverheadMs').length);
  let best = { parameterValues: initial, parameterError: Infinity };
  let start = initial;
  let cacheKey = '';
  let cache: number[] = [];
  // max() has kinks where a phase turns from compute- to memory-bound: restarts from the best get past them
  for (let attempt = 0; attempt < 5 && params.length > 0; attempt++) {
    const fitted = levenbergMarquardt(
      { x: Array.from({ length: n }, (_, i) => i), y: new Array<number>(n).fill(0) },
      (v: number[]) => {
        const key = v.join(',');
        if (key !== cacheKey) {
          cache = residuals(v);
          cacheKey = key;
        }
        return (i: number) => cache[i] ?? 0;
      },
      {
        initialValues: start,
        minValues: params.map((q) => q.min),
        maxValues: params.map((q) => q.max),
        gradientDifference: 1e-4,
        damping: 1e-2,
        maxIterations: 60,
        errorTolerance: 1e-12,
      },
    );
    if (fitted.parameterError < best.parameterError) best = fitted;
    start = best.parameterValues;
  }
  const profile = withValues(base, params, best.parameterValues);
  profile.bandwidthShare = round(profile.bandwidthShare);
  profile.tokenOverheadMs = round(profile.tokenOverheadMs);
  for (const k of ['prefillEfficiency', 'decodeEfficiency'] as const) {
    for (const prec of Object.keys(profile[k])) profile[k][prec] = round(profile[k][prec]!);
  }
  return { profile, fitted: params.map((q) => q.name) };
}

export interface FittedProfiles {
  /** soc id → engine id → profile (provenance included). */
  profiles: Map<string, Map<string, EngineProfile>>;
}

/**
 * Profiles of every shipped SoC × non-mllm engine from `rows`: fitted where rows exist, else transferred
 * from another SoC's fit, else the priors. Deterministic: the same rows give the same numbers.
 */
export function fitProfiles(rows: Measurement[]): FittedProfiles {
  const priors = readEnginePriors();
  const socs = shippedSocs();
  const profiles = new Map<string, Map<string, EngineProfile>>();
  const engines = listEngines().filter((e) => e.id !== 'mllm');
  for (const soc of socs.values()) profiles.set(soc.id, new Map());
  for (const e of engines) {
    for (const soc of socs.values()) {
      const mine = rows.filter((r) => r.engine === e.id && r.soc === soc.id);
      if (mine.length === 0) continue;
      const { profile, fitted } = fitGroup(soc, e.id, mine, priors);
      const resid: Record<string, Record<string, number>> = {};
      for (const r of mine) {
        const pred = predictRow(r, soc, profile);
        resid[r.id] = {};
        if (r.prefillTokS !== null) resid[r.id]!.prefill = round(pred.prefill! / r.prefillTokS - 1);
        if (r.decodeTokS !== null) resid[r.id]!.decode = round(pred.decode / r.decodeTokS - 1);
      }
      profile.provenance = {
        method: 'elastitwin engines fit: least squares on log tokens/s (ml-levenberg-marquardt), shares bounded to (0, 1]',
        rows: mine.map((r) => r.id),
        fitted,
        keptFromPriors: 'every other member (cost-models/engine-priors.json, with sources)',
        residuals: resid,
      };
      profiles.get(soc.id)!.set(e.id, profile);
    }
    for (const soc of socs.values()) {
      if (profiles.get(soc.id)!.has(e.id)) continue;
      const donor = [...socs.keys()].find((id) => profiles.get(id)!.has(e.id));
      const p = donor ? structuredClone(profiles.get(donor)!.get(e.id)!) : priorProfile(e.id, priors);
      p.provenance = donor
        ? { method: `transferred: no rows on ${soc.id}; the shares fitted on ${donor} applied to this SoC's own peaks (prior)`, from: donor }
        : { method: 'prior: no measurement rows (cost-models/engine-priors.json, with sources)' };
      profiles.get(soc.id)!.set(e.id, p);
    }
  }
  return { profiles };
}
