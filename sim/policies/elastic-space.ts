/**
 * The decision space of ElastiLM-style policies: 10 prompt ratios × 9 model levels, each with its
 * precomputed execution shape, and the feasibility tests both modes use.
 *
 * Feasibility:
 * - isolated mode (ratio SLOs): the artifact's rule p·m ≤ ζ_TTFT ∧ m ≤ ζ_TPOT, in plain float arithmetic as
 *   the artifact computes it (so the feasible-pair counts per SLO class match its table exactly);
 * - timed mode: predicted TTFT (time already waited + TLM + switch + prefill) and TPOT within the budgets.
 */
import { MODEL_RATIOS, PROMPT_RATIOS, type Architecture, type ExecShape, type SwitchKind } from '../../cost-models/types.ts';
import { elasticShape } from '../../cost-models/index.ts';
import type { Config, DecisionContext, RequestView } from '../types.ts';
import { keptPromptTokens } from '../prompt.ts';

export interface ElasticSpace {
  /** configs[p][m]: p indexes PROMPT_RATIOS (1.0 first), m indexes MODEL_RATIOS (0.2 first). */
  configs: Config[][];
}

export function buildElasticSpace(arch: Architecture, lora: boolean): ElasticSpace {
  const shapes: ExecShape[] = MODEL_RATIOS.map((m) => elasticShape(arch, m, lora && m < 1));
  return {
    configs: PROMPT_RATIOS.map((p) =>
      MODEL_RATIOS.map((m, mi) => ({ modelRatio: m, promptRatio: p, shape: shapes[mi]! })),
    ),
  };
}

/** The artifact's ratio rule. */
export function ratioFeasible(p: number, m: number, ttft: number, tpot: number): boolean {
  return p * m <= ttft && m <= tpot;
}

/** Predicted-latency rule of timed mode (also used for millisecond SLOs in isolated mode). */
export function latencyFeasible(
  c: Config,
  req: RequestView,
  ctx: DecisionContext,
  switchKind: SwitchKind,
  tlmMs: number,
): boolean {
  const lat = ctx.latency;
  const prompt = keptPromptTokens(req.systemTokens, req.queryTokens, c.promptRatio);
  const steps = Math.max(1, req.outputTokens - 1);
  if (lat.decodeMs(c.shape, prompt, steps) / steps > ctx.budget.tpotMs) return false;
  const sw = ctx.resident === c.shape ? 0 : lat.switchMs(switchKind, ctx.resident, c.shape);
  return ctx.waitedMs + tlmMs + sw + lat.prefillMs(c.shape, prompt) <= ctx.budget.ttftMs;
}

/** Whether config c is feasible for this request in the current mode. */
export function feasible(
  c: Config,
  req: RequestView,
  ctx: DecisionContext,
  switchKind: SwitchKind,
  tlmMs: number,
): boolean {
  if (ctx.mode === 'isolated' && req.slo.unit === 'ratio') {
    return ratioFeasible(c.promptRatio, c.modelRatio, req.slo.ttft, req.slo.tpot);
  }
  return latencyFeasible(c, req, ctx, switchKind, tlmMs);
}

/**
 * The feasible frontier: for each prompt ratio, the largest feasible model level (−1 if none). Latency is
 * monotone in the level, so a downward scan stops at the first feasible level.
 */
export function frontier(
  space: ElasticSpace,
  req: RequestView,
  ctx: DecisionContext,
  switchKind: SwitchKind,
  tlmMs: number,
  into: Int8Array,
): Int8Array {
  for (let p = 0; p < space.configs.length; p++) {
    const row = space.configs[p]!;
    let best = -1;
    for (let m = row.length - 1; m >= 0; m--) {
      if (feasible(row[m]!, req, ctx, switchKind, tlmMs)) {
        best = m;
        break;
      }
    }
    into[p] = best;
  }
  return into;
}
