/**
 * bestFeasiblePair remembers the best pair of requests that waited for nothing, per (kind, resident level).
 * Whatever a run throws at it (the same kinds again and again, waits of zero and not, budgets and spent times
 * that differ by an ulp, the latency model or accuracy surface swapped in the context, a new run reusing the
 * kind numbers for other requests, views of unknown kind, a resident shape that is none of the levels,
 * isolated mode with ratio or millisecond SLOs), its answer must be what walking the frontier afresh gives.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createLatencyModel, fullShape, getArchitecture } from '../../cost-models/index.ts';
import { memoizeLatency } from '../../sim/latency-memo.ts';
import { buildElasticSpace, frontier } from '../../sim/policies/elastic-space.ts';
import { bestFeasiblePair, bestOnFrontier } from '../../sim/policies/best-pair.ts';
import { createPolicy } from '../../sim/policies/registry.ts';
import { Rng } from '../../base/rng.ts';
import type { AccuracyQuery, AccuracySurface } from '../../cost-models/accuracy/types.ts';
import type { Dataset, DecisionContext, RequestView } from '../../sim/types.ts';

const arch = getArchitecture('orca-mini-3b');
const MODELS = [4, 1].map((threads) => memoizeLatency(createLatencyModel({ kind: 'roofline' }, { arch, device: 'mi14', dtype: 'fp16', threads })));
const full = fullShape(arch);

/** Two surfaces that rank pairs differently (one prefers the model, one the prompt), reversed by dataset. */
const surface = (modelWeight: number): AccuracySurface => ({
  quality: (q: AccuracyQuery) => {
    const w = q.dataset.length % 2 === 0 ? modelWeight : 1 - modelWeight;
    return 0.3 + 0.3 * (w * q.modelRatio + (1 - w) * q.promptRatio);
  },
  provenance: () => [],
});
const SURFACES = [surface(0.8), surface(0.2)];

interface Kind {
  system: number;
  query: number;
  output: number;
  ttft: number;
  tpot: number;
  dataset: Dataset;
}
/** Request kinds of two tables: the second run numbers other requests with the same kind ids. */
const TABLES: Kind[][] = [
  [
    { system: 180, query: 40, output: 8, ttft: 1.0, tpot: 1.0, dataset: 'OBQA' },
    { system: 600, query: 25, output: 30, ttft: 0.6, tpot: 0.8, dataset: 'octopus' },
    { system: 1200, query: 90, output: 4, ttft: 0.2, tpot: 0.6, dataset: 'PIQA' },
  ],
  [
    // kind 0 of the other table with another dataset: only its qualities tell them apart
    { system: 180, query: 40, output: 8, ttft: 1.0, tpot: 1.0, dataset: 'ARC_E' },
    { system: 900, query: 12, output: 3, ttft: 0.3, tpot: 0.5, dataset: 'ARC_E' },
    { system: 50, query: 500, output: 20, ttft: 0.8, tpot: 0.9, dataset: 'llamatouch' },
  ],
];

const nextUp = (x: number, ulps: number): number => {
  const b = new Float64Array([x]);
  const i = new BigInt64Array(b.buffer);
  i[0] = i[0]! + BigInt(ulps);
  return b[0]!;
};

describe('bestFeasiblePair (idle decisions remembered)', () => {
  it('always equals the best pair on a frontier walked afresh', () => {
    // Every input a remembered answer depends on is varied alone at times, so each check of the memo is needed:
    // budgets and the time spent are priced on model 0 whichever model the context holds.
    const step = fc.record({
      kind: fc.constantFrom(0, 0, 1, 2),
      /** A view of unknown kind (−1), as a hand-built one is: never remembered. */
      unknownKind: fc.constantFrom(false, false, false, true),
      /** −1 nothing resident, 9 the full model's own shape (not one of the space's levels), else a level. */
      resident: fc.constantFrom(-1, 0, 4, 4, 8, 9),
      /** Isolated mode with millisecond SLOs decides by latency too (and waits for nothing). */
      mode: fc.constantFrom('timed' as const, 'timed' as const, 'isolated' as const),
      msSlo: fc.boolean(),
      waited: fc.oneof(fc.constant(0), fc.constant(0), fc.double({ min: 0, max: 5_000, noNaN: true })),
      /** The time spent before prefill (the TLM's), as is, an ulp more, or a third of the TTFT budget more. */
      spent: fc.constantFrom(0, 0, 0, 1, 2),
      ttftScale: fc.constantFrom(1, 1, 1, 0.5),
      tpotScale: fc.constantFrom(1, 1, 1, 0.6),
      model: fc.constantFrom(0, 0, 0, 1),
      surface: fc.constantFrom(0, 0, 0, 1),
      /** Start a new run (a new context) on the other table. */
      newRun: fc.constantFrom(false, false, false, true),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const space = buildElasticSpace(arch, true);
        const levels = space.configs[0]!.map((c) => c.shape);
        const query: AccuracyQuery = { method: 'elastilm', model: 'orca-mini-3b', dataset: 'OBQA', modelRatio: 1, promptRatio: 1 };
        const reference = buildElasticSpace(arch, true);
        const refQuery: AccuracyQuery = { ...query };
        const front = new Int8Array(space.configs.length);
        const refFront = new Int8Array(space.configs.length);
        let table = 0;
        const newContext = (): DecisionContext => ({
          nowMs: 0, waitedMs: 0, mode: 'timed', arch, latency: MODELS[0]!, accuracy: SURFACES[0]!, rng: Rng.fromSeed(1),
          resident: null, budget: { ttftMs: 0, tpotMs: 0 }, full: { ttftMs: 0, tpotMs: 0 }, tlmMs: 0,
        });
        // one context per run, updated in place before each decision, as the service does
        let ctx = newContext();
        for (const s of steps) {
          if (s.newRun) {
            table = 1 - table;
            ctx = newContext();
          }
          const k = TABLES[table]![s.kind]!;
          const priced = MODELS[0]!;
          const prompt = k.system + k.query;
          const decodeSteps = Math.max(1, k.output - 1);
          ctx.latency = MODELS[s.model]!;
          ctx.accuracy = SURFACES[s.surface]!;
          ctx.mode = s.mode;
          ctx.waitedMs = s.mode === 'isolated' ? 0 : s.waited;
          ctx.resident = s.resident < 0 ? null : s.resident === 9 ? full : levels[s.resident]!;
          ctx.budget.ttftMs = s.ttftScale * k.ttft * priced.prefillMs(full, prompt);
          ctx.budget.tpotMs = (s.tpotScale * k.tpot * priced.decodeMs(full, prompt, decodeSteps)) / decodeSteps;
          const req: RequestView = {
            kind: s.unknownKind ? -1 : s.kind, index: 0, id: 0, appIndex: s.kind, app: 'a', dataset: k.dataset, arrivalMs: 0,
            systemTokens: k.system, queryTokens: k.query, outputTokens: k.output,
            slo: s.msSlo ? { ttft: ctx.budget.ttftMs, tpot: ctx.budget.tpotMs, unit: 'ms' } : { ttft: k.ttft, tpot: k.tpot, unit: 'ratio' },
          };
          const tlm = priced.tlmMs(prompt);
          const spent = s.spent === 2 ? tlm + ctx.budget.ttftMs / 3 : nextUp(tlm, s.spent);
          ctx.tlmMs = spent;
          const got = bestFeasiblePair(space, req, ctx, 'pointer', query, front, { p: 0, m: 0 });
          frontier(reference, req, ctx, 'pointer', refFront);
          // the reference's class grid is keyed by appIndex, which the other table reuses: a fresh query object per run
          const want = bestOnFrontier(reference, refFront, { ...req, appIndex: -1 }, ctx, refQuery, { p: 0, m: 0 });
          expect(got === null ? null : { ...got }).toEqual(want === null ? null : { ...want });
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('ElastiLM and the decision context', () => {
  it('refuses a context without the TLM time rather than passing every TTFT check', () => {
    const policy = createPolicy('elastilm', { decisionQuality: 1 }, { arch, model: 'orca-mini-3b' });
    const ctx = {
      nowMs: 0, waitedMs: 0, mode: 'timed', arch, latency: MODELS[0]!, accuracy: SURFACES[0]!, rng: Rng.fromSeed(1),
      resident: null, budget: { ttftMs: 100, tpotMs: 100 }, full: { ttftMs: 0, tpotMs: 0 },
    } as unknown as DecisionContext; // built by hand in JavaScript, tlmMs forgotten
    const req: RequestView = {
      kind: -1, index: 0, id: 0, appIndex: 0, app: 'a', dataset: 'OBQA', arrivalMs: 0, systemTokens: 300, queryTokens: 30, outputTokens: 8,
      slo: { ttft: 100, tpot: 100, unit: 'ms' },
    };
    expect(() => policy.decide(req, ctx)).toThrow(/tlmMs must be the TLM's time/);
  });
});
