/**
 * What each method runs for an SLO ⟨ζ_TTFT, ζ_TPOT⟩, as a pure function of the SLO (reference §4.4, §4.5),
 * and the expected accuracy that follows from a surface. The fit and the tests use these to evaluate the
 * paper's aggregate claims; the simulator's policies make the same choices request by request.
 */
import { MODEL_RATIOS, PROMPT_RATIOS } from '../types.ts';
import type { AccuracyQuery, AccuracySurface } from './types.ts';
import type { Baseline, Dataset, ElasticModel } from './catalogue.ts';

export interface Slo {
  ttft: number;
  tpot: number;
}

/** The six trace classes of Table 3: SLO level i (code order) → dataset. */
export const TRACE_CLASSES: ReadonlyArray<{ dataset: Dataset; slo: Slo }> = [
  { dataset: 'OBQA', slo: { ttft: 1.0, tpot: 1.0 } },
  { dataset: 'ARC_E', slo: { ttft: 0.8, tpot: 0.9 } },
  { dataset: 'octopus', slo: { ttft: 0.6, tpot: 0.8 } },
  { dataset: 'llamatouch', slo: { ttft: 0.4, tpot: 0.7 } },
  { dataset: 'PIQA', slo: { ttft: 0.2, tpot: 0.6 } },
  { dataset: 'SCIQ', slo: { ttft: 0.2, tpot: 0.5 } },
];

/** Request counts per class in the released traces (α = 0, 0.25, −0.25); the denominator is always 600. */
export const TRACE_COUNTS: ReadonlyArray<{ alpha: number; counts: readonly number[] }> = [
  { alpha: 0, counts: [100, 100, 100, 100, 100, 100] },
  { alpha: 0.25, counts: [48, 62, 80, 103, 133, 170] },
  { alpha: -0.25, counts: [170, 133, 103, 80, 62, 48] },
];
export const TRACE_DENOMINATOR = 600;

/** The standalone-dataset sweep: every dataset at the same five SLOs. */
export const STANDALONE_SLOS: readonly Slo[] = [
  { ttft: 0.8, tpot: 0.9 },
  { ttft: 0.6, tpot: 0.8 },
  { ttft: 0.4, tpot: 0.7 },
  { ttft: 0.2, tpot: 0.6 },
  { ttft: 0.2, tpot: 0.5 },
];

/** Default TLM decision quality: the share of requests on which it predicts the best feasible pair. */
export const DEFAULT_DECISION_QUALITY = 0.9;

const EPS = 1e-9;

export function isFeasible(slo: Slo, promptRatio: number, modelRatio: number): boolean {
  return promptRatio * modelRatio <= slo.ttft + EPS && modelRatio <= slo.tpot + EPS;
}

/** The artifact's fix-up: keep the predicted prompt ratio, take the largest feasible model level. */
export function fixUpModelRatio(slo: Slo, promptRatio: number): number {
  for (let i = MODEL_RATIOS.length - 1; i >= 0; i--) {
    const m = MODEL_RATIOS[i]!;
    if (isFeasible(slo, promptRatio, m)) return m;
  }
  return MODEL_RATIOS[0];
}

/** The configuration each baseline runs for an SLO (reference §4.5; m = min(ζ_TTFT, ζ_TPOT)). */
export function baselineQuery(method: Baseline, model: ElasticModel, dataset: Dataset, slo: Slo): AccuracyQuery {
  const m = Math.min(slo.ttft, slo.tpot);
  switch (method) {
    case 'pfs': {
      const orca = model === 'orca-mini-3b';
      const small = m >= 0.5 - EPS ? (orca ? 'opt-1.3b' : 'opt-2.7b') : orca ? 'opt-350m' : 'opt-1.3b';
      return { method, model: small, dataset, modelRatio: 1, promptRatio: 1 };
    }
    case 'llm-pruner':
      // the harness runs ElastiLM's own sub-model + LoRA at ζ_TTFT with the full prompt
      return { method, model, dataset, modelRatio: slo.ttft, promptRatio: 1 };
    case 'lingua2-cs':
      // LLMLingua-2 keeps ζ_TTFT of the prompt; contextual sparsity keeps ζ_TPOT of the FFN neurons
      return { method, model, dataset, modelRatio: slo.tpot, promptRatio: slo.ttft };
    default:
      return { method, model, dataset, modelRatio: m, promptRatio: 1 };
  }
}

export interface ElasticChoice {
  /** Best feasible pair's expected accuracy (the oracle over configurations). */
  best: number;
  /** Mean over uniformly random feasible pairs (the paper's "random strategy"). */
  randomFeasible: number;
  /** Mean over a random pick of all 90 pairs passed through the fix-up (an untrained TLM head). */
  randomFixedUp: number;
}

/** ElastiLM's options at one SLO; reuses `query` to avoid allocation in the fit's inner loop. */
export function elasticChoice(
  surface: AccuracySurface,
  method: string,
  model: string,
  dataset: string,
  slo: Slo,
  query: AccuracyQuery = { method, model, dataset, modelRatio: 1, promptRatio: 1 },
): ElasticChoice {
  query.method = method;
  query.model = model;
  query.dataset = dataset;
  let best = -Infinity;
  let feasibleSum = 0;
  let feasibleCount = 0;
  let fixedSum = 0;
  for (const p of PROMPT_RATIOS) {
    query.promptRatio = p;
    for (const m of MODEL_RATIOS) {
      if (isFeasible(slo, p, m)) {
        query.modelRatio = m;
        const q = surface.quality(query);
        feasibleSum += q;
        feasibleCount++;
        fixedSum += q; // a feasible prediction is used unchanged
        if (q > best) best = q;
      } else {
        query.modelRatio = fixUpModelRatio(slo, p);
        fixedSum += surface.quality(query);
      }
    }
  }
  return {
    best,
    randomFeasible: feasibleSum / feasibleCount,
    randomFixedUp: fixedSum / (PROMPT_RATIOS.length * MODEL_RATIOS.length),
  };
}

/** Expected accuracy of the ElastiLM policy: best pair with probability q, else a fixed-up random pair. */
export function elastilmExpected(choice: ElasticChoice, decisionQuality = DEFAULT_DECISION_QUALITY): number {
  return decisionQuality * choice.best + (1 - decisionQuality) * choice.randomFixedUp;
}
