/**
 * The service prices a config once per request kind and reuses the prices while the kind keeps being served
 * with that config. Over traces where kinds repeat and policies switch configs back and forth, every served
 * request's prompt, prefill, decode, TPOT, quality and the run's peak memory must be what pricing that
 * request alone gives.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createLatencyModel, elasticShape, fullShape, getArchitecture, kvCacheBytes } from '../../cost-models/index.ts';
import { loadAccuracySurfaces } from '../../cost-models/accuracy/index.ts';
import { memoizeLatency } from '../../sim/latency-memo.ts';
import { RequestTable } from '../../sim/request-table.ts';
import { simulate } from '../../sim/service.ts';
import { getQueue } from '../../sim/queues/index.ts';
import { keptPromptTokens } from '../../sim/prompt.ts';
import { FLAG_SERVED } from '../../sim/outcomes.ts';
import { Rng } from '../../base/rng.ts';
import type { Config, Dataset, Policy } from '../../sim/types.ts';

const arch = getArchitecture('orca-mini-3b');
const full = fullShape(arch);
const latency = memoizeLatency(createLatencyModel({ kind: 'roofline' }, { arch, device: 'mi14', dtype: 'fp16', threads: 4 }));
const accuracy = loadAccuracySurfaces();
const configs: Config[] = [
  { modelRatio: 0.4, promptRatio: 0.5, shape: elasticShape(arch, 0.4, true) },
  { modelRatio: 0.4, promptRatio: 1, shape: elasticShape(arch, 0.4, true) },
  { modelRatio: 0.8, promptRatio: 0.5, shape: elasticShape(arch, 0.8, true) },
  { modelRatio: 1, promptRatio: 1, shape: full },
];
const kv = (shape: Config['shape'], tokens: number) => kvCacheBytes(arch, shape, tokens, 'fp16');
const RESIDENT = 2e9;

describe('prices reused per request kind', () => {
  it('equal pricing each served request on its own', () => {
    const request = fc.record({
      // few lengths and datasets, so kinds repeat
      system: fc.constantFrom(0, 120, 480),
      query: fc.constantFrom(10, 60),
      output: fc.constantFrom(1, 2, 17),
      dataset: fc.constantFrom<Dataset>('OBQA', 'PIQA'),
      gap: fc.constantFrom(0, 50, 4000),
      config: fc.integer({ min: 0, max: configs.length }), // configs.length = reject
    });
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 80 }), fc.constantFrom('serve' as const, 'drop' as const), (reqs, onLate) => {
        let t = 0;
        const table = RequestTable.fromSpecs(
          reqs.map((r, id) => ({
            id, app: r.dataset, dataset: r.dataset, arrivalMs: (t += r.gap), systemTokens: r.system, queryTokens: r.query,
            outputTokens: r.output, slo: { ttft: 0.8, tpot: 0.9, unit: 'ratio' as const },
          })),
        );
        const policy: Policy = {
          name: 'scripted',
          method: { accuracyMethod: 'elastilm', switchKind: 'pointer', usesTlm: true },
          decide: (req) => configs[reqs[req.id]!.config] ?? { reject: 'scripted' },
        };
        const result = simulate({
          mode: 'timed', table, policy, arch, model: 'orca-mini-3b', latency, accuracy, queue: getQueue('fcfs'), onLate,
          rng: Rng.fromSeed(1), correctDraws: new Float64Array(table.length).fill(0.5), fullShape: full,
          residentBytes: RESIDENT, kvBytes: kv, timelineSamples: 0,
        });
        const out = result.outcomes;
        let peak = 0;
        for (let i = 0; i < table.length; i++) {
          if ((out.flags[i]! & FLAG_SERVED) === 0) continue;
          const r = reqs[i]!;
          const c = configs[r.config]!;
          const prompt = keptPromptTokens(r.system, r.query, c.promptRatio);
          const steps = r.output - 1;
          const decode = steps > 0 ? latency.decodeMs(c.shape, prompt, steps) : 0;
          expect(out.promptTokens[i]).toBe(prompt);
          // the outcome columns hold times and qualities as float32
          const f = Math.fround;
          expect(out.prefillMs[i]).toBe(f(latency.prefillMs(c.shape, prompt)));
          expect(out.decodeMs[i]).toBe(f(decode));
          expect(out.tpotMs[i]).toBe(f(steps > 0 ? decode / steps : latency.decodeStepMs(c.shape, prompt)));
          expect(out.quality[i]).toBe(f(accuracy.quality({ method: 'elastilm', model: 'orca-mini-3b', dataset: r.dataset, modelRatio: c.modelRatio, promptRatio: c.promptRatio })));
          peak = Math.max(peak, RESIDENT + kv(c.shape, prompt + r.output));
        }
        expect(result.peakMemoryBytes).toBe(peak);
      }),
      { numRuns: 300 },
    );
  });
});
