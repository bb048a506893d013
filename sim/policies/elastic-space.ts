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

/**
 * Predicted-latency rule of timed mode (also used for millisecond SLOs in isolated mode). TTFT is checked
 * first: under queueing it is the constraint that binds, and it is the cheaper one to price.
 */
export function latencyFeasible(
  c: Config,
  req: RequestView,
  ctx: DecisionContext,
  switchKind: SwitchKind,
  tlmMs: number,
): boolean {
  const lat = ctx.latency;
  const prompt = keptPromptTokens(req.systemTokens, req.queryTokens, c.promptRatio);
  const sw = ctx.resident === c.shape ? 0 : lat.switchMs(switchKind, ctx.resident, c.shape);
  if (ctx.waitedMs + tlmMs + sw + lat.prefillMs(c.shape, prompt) > ctx.budget.ttftMs) return false;
  const steps = req.outputTokens > 1 ? req.outputTokens - 1 : 1;
  return lat.decodeMs(c.shape, prompt, steps) / steps <= ctx.budget.tpotMs;
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
 * The feasible frontier: for each prompt ratio, the largest feasible model level (−1 if none). Latency grows
 * with the level and with the prompt, so the frontier level never rises as the prompt grows: a staircase
 * walk from the smallest prompt up needs at most (#prompt ratios + #levels) feasibility checks, not 90.
 */
export function frontier(
  space: ElasticSpace,
  req: RequestView,
  ctx: DecisionContext,
  switchKind: SwitchKind,
  tlmMs: number,
  into: Int8Array,
): Int8Array {
  const rows = space.configs;
  let m = rows[0]!.length - 1;
  for (let p = rows.length - 1; p >= 0; p--) {
    const row = rows[p]!;
    while (m >= 0 && !feasible(row[m]!, req, ctx, switchKind, tlmMs)) m--;
    into[p] = m;
  }
  return into;
}
