/** Invariants of single policy decisions (no queue): what a larger SLO may and may not do to a choice. */
import fc from 'fast-check';
import { fullShape, getArchitecture } from '../../../cost-models/index.ts';
import { Rng } from '../../../base/rng.ts';
import { DATASETS, type Decision, type DecisionContext, type RequestView, type Slo } from '../../../sim/types.ts';
import { defineInvariant } from '../invariant.ts';
import { MODELS, PHONES, realParts, type PolicyChoice, type SimParts } from '../sim-case.ts';

/**
 * Policies that claim "a larger SLO never lowers my expected accuracy": the oracle (best feasible pair; a
 * larger SLO only adds feasible pairs), ElastiLM with a perfect decision head (decisionQuality 1: it is then
 * the oracle plus TLM time), the full model (constant), and the rule-based baselines, whose configuration
 * grows with min(ζ_TTFT, ζ_TPOT) or with each ζ (LG2+CS). ElastiLM with decisionQuality < 1 does not claim
 * it (its wrong guesses are random), nor PFS with faithful: false (no shipped surface for its m = 1 case).
 */
export const SLO_MONOTONE_POLICIES: readonly PolicyChoice[] = [
  { name: 'oracle', options: {} },
  { name: 'elastilm', options: { decisionQuality: 1 } },
  { name: 'full', options: {} },
  { name: 'pfs', options: {} },
  { name: 'llm-pruner', options: {} },
  { name: 'llm-pruner', options: { faithful: false } },
  { name: 'layer-reduction', options: {} },
  { name: 'layer-reduction', options: { faithful: false } },
  { name: 'laco', options: {} },
  { name: 'shortgpt', options: {} },
  { name: 'attn-drop', options: {} },
  { name: 'lingua2-cs', options: {} },
];

const decisionCaseArb = fc.record({
  policy: fc.constantFrom(...SLO_MONOTONE_POLICIES),
  model: fc.constantFrom(...MODELS),
  device: fc.constantFrom(...PHONES),
  mode: fc.constantFrom('isolated' as const, 'timed' as const),
  dataset: fc.constantFrom(...DATASETS),
  systemTokens: fc.integer({ min: 0, max: 1200 }),
  queryTokens: fc.integer({ min: 1, max: 200 }),
  outputTokens: fc.integer({ min: 1, max: 48 }),
  waitedMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20_000 })),
  residentFull: fc.boolean(),
  unit: fc.constantFrom('ratio' as const, 'ms' as const),
  ttft: fc.tuple(fc.integer({ min: 1, max: 150 }), fc.integer({ min: 0, max: 100 })),
  tpot: fc.tuple(fc.integer({ min: 1, max: 150 }), fc.integer({ min: 0, max: 100 })),
});

export const largerSloKeepsAccuracy = defineInvariant({
  name: 'larger-slo-keeps-accuracy',
  statement: 'For the policies that claim it (SLO_MONOTONE_POLICIES), loosening a request\'s SLO never lowers the expected accuracy of the configuration chosen, in either mode, for ratio and millisecond SLOs.',
  area: 'policies',
  runs: 500,
  defaults: (): SimParts => realParts,
  property: (parts: SimParts) =>
    fc.property(decisionCaseArb, (c) => {
      const arch = getArchitecture(c.model);
      const policy = parts.createPolicy(c.policy.name, c.policy.options, { arch, model: c.model });
      const latency = parts.latency(arch, c.device);
      const accuracy = parts.accuracy();
      const full = fullShape(arch);
      const prompt = c.systemTokens + c.queryTokens;
      const steps = Math.max(1, c.outputTokens - 1);
      const fullTtft = latency.prefillMs(full, prompt);
      const fullTpot = latency.decodeMs(full, prompt, steps) / steps;
      // ratio SLOs in hundredths; millisecond SLOs in hundredths of the full model's latency, rounded to the µs
      const sloOf = (k: 0 | 1): Slo => {
        const t = c.ttft[0] + (k ? c.ttft[1] : 0);
        const p = c.tpot[0] + (k ? c.tpot[1] : 0);
        return c.unit === 'ratio'
          ? { ttft: t / 100, tpot: p / 100, unit: 'ratio' }
          : { ttft: Math.round(t * fullTtft * 10) / 1000, tpot: Math.round(p * fullTpot * 10) / 1000, unit: 'ms' };
      };
      const expected = (slo: Slo): { q: number; d: Decision } => {
        const view: RequestView = {
        kind: -1,
          index: 0, id: 0, appIndex: 0, app: 'prop', dataset: c.dataset, arrivalMs: 0,
          systemTokens: c.systemTokens, queryTokens: c.queryTokens, outputTokens: c.outputTokens, slo,
        };
        const waited = c.mode === 'timed' ? c.waitedMs : 0;
        const ctx: DecisionContext = {
          nowMs: waited, waitedMs: waited, mode: c.mode, arch, latency, accuracy, rng: Rng.fromSeed(1),
          resident: c.residentFull ? full : null,
          budget: slo.unit === 'ratio' ? { ttftMs: slo.ttft * fullTtft, tpotMs: slo.tpot * fullTpot } : { ttftMs: slo.ttft, tpotMs: slo.tpot },
          full: { ttftMs: fullTtft, tpotMs: fullTpot },
          tlmMs: policy.method.usesTlm ? latency.tlmMs(c.systemTokens + c.queryTokens) : 0,
        };
        const d = policy.decide(view, ctx);
        if ('reject' in d) return { q: -Infinity, d };
        const q = accuracy.quality({
          method: policy.method.accuracyMethod, model: d.accuracyModel ?? c.model, dataset: c.dataset,
          modelRatio: d.accuracyModelRatio ?? d.modelRatio, promptRatio: d.promptRatio,
        });
        return { q, d };
      };
      const tight = sloOf(0);
      const loose = sloOf(1);
      const a = expected(tight);
      const b = expected(loose);
      if (b.q < a.q - 1e-12) {
        const show = (x: { d: Decision }) => ('reject' in x.d ? `reject (${x.d.reject})` : `model ${x.d.modelRatio}, prompt ${x.d.promptRatio}`);
        throw new Error(`${c.policy.name}: SLO ${JSON.stringify(tight)} → ${show(a)} (q ${a.q}); looser ${JSON.stringify(loose)} → ${show(b)} (q ${b.q})`);
      }
    }),
});
