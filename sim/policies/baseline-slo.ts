/**
 * What the paper's baselines read from a request's SLO. They are SLO-ratio-configured systems: each maps
 * ⟨ζ_TTFT, ζ_TPOT⟩ to one fixed configuration by a rule of the artifact (elastilm.md §4.5), most of them
 * through m = min(ζ_TTFT, ζ_TPOT). They keep that rule in timed mode too: they neither see the queue nor
 * predict latency (that is what separates them from ElastiLM's decision), so a baseline that waited in a
 * queue may miss its SLO — the point of running them timed.
 */
import { InputError } from '../../base/errors.ts';
import { MODEL_RATIOS } from '../../cost-models/types.ts';
import type { DecisionContext, RequestView } from '../types.ts';
import { booleanOption } from './options.ts';

/** The SLO as ratios of the full model's latency on this request. */
export interface SloRatios {
  ttft: number;
  tpot: number;
}

/**
 * Ratio SLOs as given; millisecond SLOs as budget ÷ the full model's latency on this request, rounded to 1e-9
 * so that a budget of exactly 0.4 × the full TTFT reads as 0.4, not 0.39999999999999997 (the rules slice
 * layers and pick levels at exact thresholds).
 */
export function sloRatios(req: RequestView, ctx: DecisionContext): SloRatios {
  if (req.slo.unit === 'ratio') return { ttft: req.slo.ttft, tpot: req.slo.tpot };
  return { ttft: roundRatio(ctx.budget.ttftMs / ctx.full.ttftMs), tpot: roundRatio(ctx.budget.tpotMs / ctx.full.tpotMs) };
}

const roundRatio = (r: number): number => Math.round(r * 1e9) / 1e9;

/** Smallest and largest model ratio any method offers (the artifact's SLO tokens cover 0.2..1.0). */
export const MIN_RATIO = MODEL_RATIOS[0];
export const MAX_RATIO = MODEL_RATIOS[MODEL_RATIOS.length - 1]!;

/**
 * Clamps a ratio into [0.2, 1]. Below 0.2 no baseline has a configuration, so it runs its 0.2 one (and misses
 * the SLO); above 1 the full model already meets it.
 */
export function clampRatio(r: number): number {
  return r < MIN_RATIO ? MIN_RATIO : r > MAX_RATIO ? MAX_RATIO : r;
}

/** m = min(ζ_TTFT, ζ_TPOT), clamped: the nominal ratio most baselines configure for. */
export function minRatio(s: SloRatios): number {
  return clampRatio(Math.min(s.ttft, s.tpot));
}

const EPS = 1e-9;

/**
 * Index into MODEL_RATIOS of the largest level ≤ r, for methods with one pre-built model per level
 * (LLM-Pruner, LaCo). The paper's SLOs are on the 0.1 grid; an SLO between levels takes the level below.
 */
export function levelAtOrBelow(r: number): number {
  for (let i = MODEL_RATIOS.length - 1; i >= 0; i--) if (MODEL_RATIOS[i]! <= r + EPS) return i;
  return 0;
}

/**
 * Reads the `faithful` option every baseline accepts: true (default) reproduces the artifact including its
 * documented quirks; false fixes them. Baselines without a quirk accept it and behave the same either way,
 * so one sweep can flip it for all of them.
 */
export function faithfulOption(options: Record<string, unknown>): boolean {
  return booleanOption(options, 'faithful', true);
}

/** Refuses options a baseline does not know (a typo would otherwise silently run the default). */
export function checkOptions(options: Record<string, unknown>, known: readonly string[], policy: string): void {
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) {
      throw new InputError(`policy "${policy}" option "${k}"`, `unknown option (known: ${known.join(', ') || 'none'})`);
    }
  }
}
