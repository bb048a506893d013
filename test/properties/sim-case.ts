/**
 * Small generated simulations for the invariants: a handful of requests with random gaps, lengths and SLOs,
 * one policy, a mode, a queue discipline and an onLate rule, run through the real `simulate()` with the
 * parts a test chooses (the real ones by default; mutation tests swap in broken ones).
 */
import fc from 'fast-check';
import {
  createLatencyModel, fullShape, getArchitecture, getDevice, METHODS, kvCacheBytes, residentMemory, type Architecture, type LatencyModel,
} from '../../cost-models/index.ts';
import { loadAccuracySurfaces } from '../../cost-models/accuracy/index.ts';
import type { AccuracySurface } from '../../cost-models/accuracy/types.ts';
import { RequestTable } from '../../sim/request-table.ts';
import { simulate, type ServiceOptions, type ServiceResult } from '../../sim/service.ts';
import { createPolicy, policyNames } from '../../sim/policies/registry.ts';
import { getQueue, queueNames } from '../../sim/queues/index.ts';
import type { QueueFactory } from '../../sim/queues/queue.ts';
import { Rng } from '../../base/rng.ts';
import { DATASETS, type Dataset, type Policy, type PolicyEnv, type RequestSpec, type Slo } from '../../sim/types.ts';

/** Models with shipped surfaces for every method, and phones with roofline priors. */
export const MODELS = ['orca-mini-3b', 'llama-7b', 'llama3-8b'] as const;
export const PHONES = ['mi14', 'k60-champion', 'k70-pro'] as const;

export interface RequestDraft {
  gapMs: number;
  dataset: Dataset;
  systemTokens: number;
  queryTokens: number;
  outputTokens: number;
  slo: Slo;
}

export interface PolicyChoice {
  name: string;
  options: Record<string, unknown>;
}

export interface SimCase {
  model: string;
  device: string;
  mode: 'isolated' | 'timed';
  queue: string;
  onLate: 'serve' | 'drop';
  policy: PolicyChoice;
  requests: RequestDraft[];
  /** Seed of the policy's stream and of the correct/incorrect draws. */
  seed: number;
}

/** The parts a simulation is built from; mutation tests replace one of them. */
export interface SimParts {
  createPolicy(name: string, options: Record<string, unknown>, env: PolicyEnv): Policy;
  queue(name: string): QueueFactory;
  latency(arch: Architecture, device: string): LatencyModel;
  accuracy(): AccuracySurface;
}

const latencies = new Map<string, LatencyModel>();
let surfaces: AccuracySurface | undefined;

export const realParts: SimParts = {
  createPolicy: (name, options, env) => createPolicy(name, options, env),
  queue: (name) => getQueue(name),
  latency(arch, device) {
    const key = `${arch.id}|${device}`;
    let m = latencies.get(key);
    if (!m) latencies.set(key, (m = createLatencyModel({ kind: 'roofline' }, { arch, device, dtype: 'fp16', threads: 4 })));
    return m;
  },
  accuracy: () => (surfaces ??= loadAccuracySurfaces()),
};

/**
 * (model, phone) pairs on which every policy's resident set fits in fp16 (runScenario refuses the others,
 * e.g. LLaMA-3-8B's LoRA set on the 20 GB K60, with an out-of-memory InputError).
 */
export function fittingSetups(): Array<{ model: string; device: string }> {
  return MODELS.flatMap((model) =>
    PHONES.filter((device) => {
      const arch = getArchitecture(model);
      return METHODS.every((m) => residentMemory(m, arch, 'fp16').bytes <= getDevice(device).usableMemoryBytes);
    }).map((device) => ({ model, device })),
  );
}

// ---------------------------------------------------------------------------------------------- arbitraries

/** Ratio SLOs on the 0.01 grid (the paper's are on the 0.1 grid), some below every method's floor. */
export const ratioSloArb: fc.Arbitrary<Slo> = fc.record({
  ttft: fc.integer({ min: 2, max: 120 }).map((k) => k / 100),
  tpot: fc.integer({ min: 10, max: 120 }).map((k) => k / 100),
  unit: fc.constant('ratio' as const),
});

/** Millisecond SLOs spanning hopeless to generous for phone-sized LLMs. */
export const msSloArb: fc.Arbitrary<Slo> = fc.record({
  ttft: fc.integer({ min: 50, max: 60_000 }),
  tpot: fc.integer({ min: 10, max: 1_500 }),
  unit: fc.constant('ms' as const),
});

export function requestArb(slo: fc.Arbitrary<Slo>): fc.Arbitrary<RequestDraft> {
  return fc.record({
    gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40_000 })),
    dataset: fc.constantFrom(...DATASETS),
    systemTokens: fc.integer({ min: 0, max: 1_200 }),
    queryTokens: fc.integer({ min: 1, max: 200 }),
    outputTokens: fc.integer({ min: 1, max: 48 }),
    slo,
  });
}

/**
 * Any shipped policy; ElastiLM with a random decision quality and random-pair space; the baselines with a
 * `faithful` flag either way, except PFS with faithful: false (its m = 1 case needs a user surface file).
 */
export const policyArb: fc.Arbitrary<PolicyChoice> = fc.oneof(
  fc.constantFrom(...policyNames()).map((name) => ({ name, options: {} })),
  fc.record({
    name: fc.constant('elastilm'),
    options: fc.record({ decisionQuality: fc.double({ min: 0, max: 1, noNaN: true }), randomFrom: fc.constantFrom('all', 'feasible') }),
  }),
  fc.record({ name: fc.constantFrom('llm-pruner', 'layer-reduction', 'shortgpt'), options: fc.record({ faithful: fc.boolean() }) }),
);

export interface SimCaseOptions {
  mode?: SimCase['mode'];
  policy?: fc.Arbitrary<PolicyChoice>;
  slo?: fc.Arbitrary<Slo>;
  maxRequests?: number;
}

export function simCaseArb(o: SimCaseOptions = {}): fc.Arbitrary<SimCase> {
  return fc.record({
    model: fc.constantFrom(...MODELS),
    device: fc.constantFrom(...PHONES),
    mode: o.mode ? fc.constant(o.mode) : fc.constantFrom('isolated' as const, 'timed' as const),
    queue: fc.constantFrom(...queueNames()),
    onLate: fc.constantFrom('serve' as const, 'drop' as const),
    policy: o.policy ?? policyArb,
    requests: fc.array(requestArb(o.slo ?? fc.oneof(ratioSloArb, msSloArb)), { minLength: 1, maxLength: o.maxRequests ?? 30 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  });
}

// ----------------------------------------------------------------------------------------------- running it

export function tableOf(requests: readonly RequestDraft[]): RequestTable {
  let t = 0;
  const specs: RequestSpec[] = requests.map((r, id) => {
    t += r.gapMs;
    return { id, app: `app-${r.dataset}`, dataset: r.dataset, arrivalMs: t, systemTokens: r.systemTokens, queryTokens: r.queryTokens, outputTokens: r.outputTokens, slo: r.slo };
  });
  return RequestTable.fromSpecs(specs);
}

export interface SimRun {
  table: RequestTable;
  policy: Policy;
  options: ServiceOptions;
  result: ServiceResult;
}

/** The ServiceOptions runScenario would build for this case (same memory and draw rules), with `parts`. */
export function serviceOptions(c: SimCase, parts: SimParts, table: RequestTable, policy: Policy): ServiceOptions {
  const arch = getArchitecture(c.model);
  const root = Rng.fromSeed(c.seed);
  const draws = root.fork(1);
  const correctDraws = new Float64Array(table.length);
  for (let i = 0; i < table.length; i++) correctDraws[i] = draws.uniform();
  return {
    mode: c.mode,
    table,
    policy,
    arch,
    model: c.model,
    latency: parts.latency(arch, c.device),
    accuracy: parts.accuracy(),
    queue: parts.queue(c.queue),
    onLate: c.onLate,
    rng: root.fork(2),
    correctDraws,
    fullShape: fullShape(arch),
    residentBytes: residentMemory(policy.method.accuracyMethod, arch, 'fp16').bytes,
    kvBytes: (shape, ctx) => kvCacheBytes(shape.arch === arch.id ? arch : getArchitecture(shape.arch), shape, ctx, 'fp16'),
    timelineSamples: 0,
  };
}

export function runCase(c: SimCase, parts: SimParts = realParts): SimRun {
  const table = tableOf(c.requests);
  const arch = getArchitecture(c.model);
  const policy = parts.createPolicy(c.policy.name, c.policy.options, { arch, model: c.model });
  const options = serviceOptions(c, parts, table, policy);
  return { table, policy, options, result: simulate(options) };
}

/** A policy that records the clock and request of every decision, then defers to `inner`. */
export function recordingPolicy(inner: Policy): Policy & { decisions: Array<{ nowMs: number; index: number }> } {
  const decisions: Array<{ nowMs: number; index: number }> = [];
  return {
    name: inner.name,
    method: inner.method,
    decisions,
    decide(req, ctx) {
      decisions.push({ nowMs: ctx.nowMs, index: req.index });
      return inner.decide(req, ctx);
    },
  };
}

/** Tolerance for comparing a float64 time with its float32 copy in the outcome table. */
export const f32Tolerance = (x: number): number => 1e-6 * Math.max(1, Math.abs(x));
