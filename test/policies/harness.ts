/**
 * Calls a policy's decide() the way the service does, for one request of a trace SLO class: a real roofline
 * latency model on the MI14, the budgets resolved against the full model, the isolated or timed mode.
 */
import { createLatencyModel, fullShape, getArchitecture } from '../../cost-models/index.ts';
import type { AccuracySurface } from '../../cost-models/accuracy/types.ts';
import type { Dataset, Decision, DecisionContext, Policy, RequestView, Slo } from '../../sim/types.ts';
import { createPolicy } from '../../sim/policies/registry.ts';
import { Rng } from '../../base/rng.ts';

/** The six trace classes of Table 3 (elastilm.md §1.4), in code order. */
export const TRACE_CLASSES: ReadonlyArray<{ app: string; dataset: Dataset; ttft: number; tpot: number }> = [
  { app: 'Rewind', dataset: 'OBQA', ttft: 1.0, tpot: 1.0 },
  { app: 'GMail', dataset: 'ARC_E', ttft: 0.8, tpot: 0.9 },
  { app: 'Octopus', dataset: 'octopus', ttft: 0.6, tpot: 0.8 },
  { app: 'Shortcuts', dataset: 'llamatouch', ttft: 0.4, tpot: 0.7 },
  { app: 'Gboard', dataset: 'PIQA', ttft: 0.2, tpot: 0.6 },
  { app: 'XiaoAi', dataset: 'SCIQ', ttft: 0.2, tpot: 0.5 },
];

const noAccuracy: AccuracySurface = {
  quality: () => {
    throw new Error('this test gives the policy no accuracy surface');
  },
  provenance: () => [],
};

export interface Harness {
  policy: Policy;
  /** The full model's TTFT and TPOT on the harness's request (what ratio SLOs refer to). */
  full: { ttftMs: number; tpotMs: number };
  decide(slo: Slo, opts?: { waitedMs?: number; mode?: 'isolated' | 'timed'; dataset?: Dataset }): Decision;
}

const SYSTEM_TOKENS = 180;
const QUERY_TOKENS = 40;
const OUTPUT_TOKENS = 8;

export function harness(name: string, model: string, options: Record<string, unknown> = {}, accuracy = noAccuracy): Harness {
  const arch = getArchitecture(model);
  const policy = createPolicy(name, options, { arch, model });
  const latency = createLatencyModel({ kind: 'roofline' }, { arch, device: 'mi14', dtype: 'fp16', threads: 4 });
  const full = fullShape(arch);
  const rng = Rng.fromSeed(7);
  const prompt = SYSTEM_TOKENS + QUERY_TOKENS;
  const fullTtft = latency.prefillMs(full, prompt);
  const fullTpot = latency.decodeMs(full, prompt, OUTPUT_TOKENS - 1) / (OUTPUT_TOKENS - 1);
  return {
    policy,
    full: { ttftMs: fullTtft, tpotMs: fullTpot },
    decide(slo, opts = {}) {
      const view: RequestView = {
        kind: -1,
        index: 0, id: 0, appIndex: 0, app: 'test', dataset: opts.dataset ?? 'ARC_E', arrivalMs: 0,
        systemTokens: SYSTEM_TOKENS, queryTokens: QUERY_TOKENS, outputTokens: OUTPUT_TOKENS, slo,
      };
      const ratio = slo.unit === 'ratio';
      const ctx: DecisionContext = {
        nowMs: opts.waitedMs ?? 0, waitedMs: opts.waitedMs ?? 0, mode: opts.mode ?? 'isolated', arch, latency, accuracy, rng,
        resident: null,
        budget: { ttftMs: ratio ? slo.ttft * fullTtft : slo.ttft, tpotMs: ratio ? slo.tpot * fullTpot : slo.tpot },
        full: { ttftMs: fullTtft, tpotMs: fullTpot },
        tlmMs: policy.method.usesTlm ? latency.tlmMs(prompt) : 0,
      };
      return policy.decide(view, ctx);
    },
  };
}

export function ratioSlo(ttft: number, tpot: number): Slo {
  return { ttft, tpot, unit: 'ratio' };
}
