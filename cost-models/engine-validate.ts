/**
 * `engines validate`: predicted vs published tokens/s for every measurement row under the shipped profiles,
 * the median and worst absolute relative error per phase, and leave-one-source-out: refit without each
 * source's rows and predict them, the honest estimate of how the twin does on a source it has not seen.
 */
import { median } from 'simple-statistics';
import { fitProfiles, predictRow, type Phase } from './engine-fit.ts';
import type { Measurement } from './measurements.ts';
import { shippedSocs, type EngineProfile } from './socs.ts';

export interface PhaseCheck {
  published: number;
  predicted: number;
  /** |predicted / published - 1| */
  error: number;
}

export interface RowCheck {
  id: string;
  source: string;
  soc: string;
  engine: string;
  precision: string;
  model: string;
  prefill: PhaseCheck | null;
  decode: PhaseCheck | null;
}

export interface ValidateResult {
  rows: RowCheck[];
  prefill: { median: number; max: number };
  decode: { median: number; max: number };
  leaveOneSourceOut: { prefill: { median: number }; decode: { median: number } };
}

type ProfileOf = (m: Measurement) => EngineProfile;

function check(m: Measurement, profileOf: ProfileOf): RowCheck {
  const soc = shippedSocs().get(m.soc)!;
  const pred = predictRow(m, soc, profileOf(m));
  const phase = (published: number | null, predicted: number | null): PhaseCheck | null =>
    published === null || predicted === null ? null : { published, predicted, error: Math.abs(predicted / published - 1) };
  return {
    id: m.id, source: m.source, soc: m.soc, engine: m.engine, precision: m.precision, model: m.model,
    prefill: phase(m.prefillTokS, pred.prefill),
    decode: phase(m.decodeTokS, pred.decode),
  };
}

const errors = (rows: RowCheck[], phase: Phase): number[] => rows.flatMap((r) => (r[phase] ? [r[phase]!.error] : []));
const med = (xs: number[]): number => (xs.length > 0 ? median(xs) : NaN);
const worst = (xs: number[]): number => (xs.length > 0 ? Math.max(...xs) : NaN);

/** Checks `rows` against the profiles shipped in the SoC files (`shipped`) and by leave-one-source-out. */
export function validateEngines(rows: Measurement[], shipped: ProfileOf): ValidateResult {
  const checked = rows.map((m) => check(m, shipped));
  const held: RowCheck[] = [];
  for (const source of [...new Set(rows.map((r) => r.source))].sort()) {
    const { profiles } = fitProfiles(rows.filter((r) => r.source !== source));
    for (const m of rows.filter((r) => r.source === source)) held.push(check(m, (x) => profiles.get(x.soc)!.get(x.engine)!));
  }
  return {
    rows: checked,
    prefill: { median: med(errors(checked, 'prefill')), max: worst(errors(checked, 'prefill')) },
    decode: { median: med(errors(checked, 'decode')), max: worst(errors(checked, 'decode')) },
    leaveOneSourceOut: { prefill: { median: med(errors(held, 'prefill')) }, decode: { median: med(errors(held, 'decode')) } },
  };
}
