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
  /** Switch cost into each level from `switchFrom` (recomputed when the resident shape changes). */
  switchRow: Float64Array;
  switchFrom: ExecShape | null | undefined;
  /** Kept prompt tokens per prompt ratio for the request being decided. */
  promptRow: Int32Array;
  /**
   * Largest level whose TPOT fits the budget even with the whole prompt in context (−1 if none): TPOT grows
   * with the context, so every smaller prompt at or below this level fits too and needs no decode pricing.
   */
  tpotSafeLevel: number;
  /** Largest level whose TPOT fits with the smallest prompt: no level above it fits at all. */
  tpotMaxLevel: number;
}

export function buildElasticSpace(arch: Architecture, lora: boolean): ElasticSpace {
  const shapes: ExecShape[] = MODEL_RATIOS.map((m) => elasticShape(arch, m, lora && m < 1));
  return {
    configs: PROMPT_RATIOS.map((p) =>
      MODEL_RATIOS.map((m, mi) => ({ modelRatio: m, promptRatio: p, shape: shapes[mi]! })),
    ),
    switchRow: new Float64Array(MODEL_RATIOS.length),
    switchFrom: undefined,
    promptRow: new Int32Array(PROMPT_RATIOS.length),
    tpotSafeLevel: -1,
    tpotMaxLevel: -1,
  };
}

/** Refreshes the per-request rows: switch costs from the resident shape, kept prompt per ratio. */
function prepareRows(space: ElasticSpace, req: RequestView, ctx: DecisionContext, switchKind: SwitchKind): void {
  if (space.switchFrom !== ctx.resident) {
    const row = space.configs[0]!;
    for (let m = 0; m < row.length; m++) {
      const to = row[m]!.shape;
      space.switchRow[m] = ctx.resident === to ? 0 : ctx.latency.switchMs(switchKind, ctx.resident, to);
    }
    space.switchFrom = ctx.resident;
  }
  for (let p = 0; p < space.configs.length; p++) {
    space.promptRow[p] = keptPromptTokens(req.systemTokens, req.queryTokens, space.configs[p]![0]!.promptRatio);
  }
  // TPOT grows with the level and with the context: bound the levels worth trying with the smallest
  // context (tpotMaxLevel), then find those that fit even with the largest one (tpotSafeLevel)
  const steps = req.outputTokens > 1 ? req.outputTokens - 1 : 1;
  const last = space.configs.length - 1;
  const fits = (m: number, p: number): boolean =>
    ctx.latency.decodeMs(space.configs[p]![m]!.shape, space.promptRow[p]!, steps) / steps <= ctx.budget.tpotMs;
  let m = space.configs[0]!.length - 1;
  while (m >= 0 && !fits(m, last)) m--;
  space.tpotMaxLevel = m;
  while (m >= 0 && !fits(m, 0)) m--;
  space.tpotSafeLevel = m;
}

/** The artifact's ratio rule. */
export function ratioFeasible(p: number, m: number, ttft: number, tpot: number): boolean {
  return p * m <= ttft && m <= tpot;
}

/**
 * Predicted-latency rule of timed mode (also used for millisecond SLOs in isolated mode), for a config whose
 * kept prompt and switch cost are known. TTFT is checked first: under queueing it is the constraint that
 * binds, and it is the cheaper one to price.
 */
function latencyFeasibleWith(
  c: Config,
  prompt: number,
  switchMs: number,
  req: RequestView,
  ctx: DecisionContext,
  tlmMs: number,
  tpotKnownOk = false,
): boolean {
  const lat = ctx.latency;
  if (ctx.waitedMs + tlmMs + switchMs + lat.prefillMs(c.shape, prompt) > ctx.budget.ttftMs) return false;
  if (tpotKnownOk) return true;
  const steps = req.outputTokens > 1 ? req.outputTokens - 1 : 1;
  return lat.decodeMs(c.shape, prompt, steps) / steps <= ctx.budget.tpotMs;
}

export function latencyFeasible(
  c: Config,
  req: RequestView,
  ctx: DecisionContext,
  switchKind: SwitchKind,
  tlmMs: number,
): boolean {
  const prompt = keptPromptTokens(req.systemTokens, req.queryTokens, c.promptRatio);
  const sw = ctx.resident === c.shape ? 0 : ctx.latency.switchMs(switchKind, ctx.resident, c.shape);
  return latencyFeasibleWith(c, prompt, sw, req, ctx, tlmMs);
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
  if (ctx.mode === 'isolated' && req.slo.unit === 'ratio') {
    for (let p = rows.length - 1; p >= 0; p--) {
      const row = rows[p]!;
      while (m >= 0 && !ratioFeasible(row[m]!.promptRatio, row[m]!.modelRatio, req.slo.ttft, req.slo.tpot)) m--;
      into[p] = m;
    }
    return into;
  }
  prepareRows(space, req, ctx, switchKind);
  m = space.tpotMaxLevel;
  for (let p = rows.length - 1; p >= 0; p--) {
    const row = rows[p]!;
    const prompt = space.promptRow[p]!;
    while (m >= 0 && !latencyFeasibleWith(row[m]!, prompt, space.switchRow[m]!, req, ctx, tlmMs, m <= space.tpotSafeLevel)) m--;
    into[p] = m;
  }
  return into;
}
