/**
 * Model-based test of the engine and the service (fast-check commands): random sequences of arrivals (random
 * SLOs and lengths), config changes (the scripted policy answers each request with the config in force when
 * it arrived, or a rejection) and clock advances run against the real simulate() and against the plain
 * reference loop of reference-service.ts. After every command both must agree on the dispatch and completion
 * order, every per-request time and verdict, the drops and the summary metrics.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { MODEL_RATIOS, PROMPT_RATIOS, elasticShape, fullShape, getArchitecture, kvCacheBytes } from '../../cost-models/index.ts';
import { RequestTable } from '../../sim/request-table.ts';
import { simulate } from '../../sim/service.ts';
import { summarizePolicy } from '../../sim/metrics.ts';
import { getQueue } from '../../sim/queues/index.ts';
import { Rng } from '../../base/rng.ts';
import {
  FLAG_CORRECT, FLAG_DROPPED, FLAG_SERVED, FLAG_SWITCHED, FLAG_TPOT_OK, FLAG_TTFT_OK,
} from '../../sim/outcomes.ts';
import { DATASETS, type Config, type Dataset, type MethodSpec, type Policy, type Slo } from '../../sim/types.ts';
import { assertProperty } from './config.ts';
import { MODELS, PHONES, msSloArb, ratioSloArb, realParts } from './sim-case.ts';
import { referenceRun, type RefEnv, type RefRequest } from './reference-service.ts';

export const NAME = 'model-based-service';
const RUNS = 120;
const MAX_COMMANDS = 40;

interface Setup {
  model: string;
  device: string;
  mode: 'isolated' | 'timed';
  queue: 'fcfs' | 'edf';
  onLate: 'serve' | 'drop';
  method: MethodSpec;
  seed: number;
}

type Decision = Config | { reject: string };

/** What both sides know: the requests so far (each with the decision in force when it arrived) and the clock. */
class World {
  clockMs = 0;
  decision: Decision;
  readonly requests: RefRequest[] = [];
  constructor(readonly setup: Setup) {
    this.decision = configAt(setup.model, 8, 0);
  }
}

function configAt(model: string, level: number, prompt: number): Config {
  const m = MODEL_RATIOS[level]!;
  return { modelRatio: m, promptRatio: PROMPT_RATIOS[prompt]!, shape: elasticShape(getArchitecture(model), m, m < 1) };
}

/** Runs the real simulator on the world's requests and the reference on the same, and compares everything. */
function compare(w: World): void {
  const s = w.setup;
  const n = w.requests.length;
  if (n === 0) return;
  const arch = getArchitecture(s.model);
  const latency = realParts.latency(arch, s.device);
  const accuracy = realParts.accuracy();
  const draws = new Float64Array(n);
  const rng = Rng.fromSeed(s.seed);
  for (let i = 0; i < n; i++) draws[i] = rng.uniform();
  const kvBytes = (shape: Config['shape'], tokens: number) => kvCacheBytes(arch, shape, tokens, 'fp16');
  const residentBytes = 1e9;

  const table = RequestTable.fromSpecs(w.requests.map((r, id) => ({ id, app: `app-${r.dataset}`, dataset: r.dataset, arrivalMs: r.arrivalMs, systemTokens: r.systemTokens, queryTokens: r.queryTokens, outputTokens: r.outputTokens, slo: r.slo })));
  const scripted: Policy = { name: 'scripted', method: s.method, decide: (req) => w.requests[req.id]!.decision };
  const real = simulate({
    mode: s.mode, table, policy: scripted, arch, model: s.model, latency, accuracy, queue: getQueue(s.queue), onLate: s.onLate,
    rng: Rng.fromSeed(0), correctDraws: draws, fullShape: fullShape(arch), residentBytes, kvBytes, timelineSamples: 0,
  });
  const env: RefEnv = { mode: s.mode, queue: s.queue, onLate: s.onLate, method: s.method, model: s.model, full: fullShape(arch), latency, accuracy, draws, residentBytes, kvBytes };
  const ref = referenceRun(w.requests, env);
  const out = real.outcomes;

  const fail = (what: string): never => {
    throw new Error(`after ${n} requests: ${what}`);
  };
  const close = (a: number, b: number, what: string): void => {
    if (Math.abs(a - b) > 1e-6 * Math.max(1, Math.abs(b))) fail(`${what}: simulator ${a}, reference ${b}`);
  };
  const dispatch = Array.from(out.order.subarray(0, out.dispatched));
  if (dispatch.join() !== ref.order.join()) fail(`dispatch order ${dispatch} ≠ reference ${ref.order}`);
  const completion = (end: (i: number) => number, served: (i: number) => boolean) =>
    dispatch.filter(served).sort((a, b) => end(a) - end(b) || dispatch.indexOf(a) - dispatch.indexOf(b));
  const realEnd = (i: number) => table.arrivalMs[i]! + out.ttftMs(i) + out.decodeMs[i]!;
  const realDone = completion(realEnd, (i) => (out.flags[i]! & FLAG_SERVED) !== 0);
  const refDone = completion((i) => ref.outcomes[i]!.endMs, (i) => ref.outcomes[i]!.served);
  if (realDone.join() !== refDone.join()) fail(`completion order ${realDone} ≠ reference ${refDone}`);

  const rejects = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = ref.outcomes[i]!;
    const f = out.flags[i]!;
    const flag = (bit: number) => (f & bit) !== 0;
    if (flag(FLAG_SERVED) !== r.served || flag(FLAG_DROPPED) === r.served) fail(`request ${i}: served ${flag(FLAG_SERVED)}, reference ${r.served}`);
    close(out.ttftBudgetMs[i]!, r.ttftBudgetMs, `request ${i} TTFT budget`);
    close(out.tpotBudgetMs[i]!, r.tpotBudgetMs, `request ${i} TPOT budget`);
    close(out.queueMs[i]!, r.queueMs, `request ${i} queue time`);
    if (!r.served) {
      if (r.dropReason !== 'late') rejects.set(r.dropReason!, (rejects.get(r.dropReason!) ?? 0) + 1);
      continue;
    }
    for (const [bit, want, what] of [[FLAG_TTFT_OK, r.ttftOk, 'TTFT verdict'], [FLAG_TPOT_OK, r.tpotOk, 'TPOT verdict'], [FLAG_CORRECT, r.correct, 'correct draw'], [FLAG_SWITCHED, r.switched, 'switch flag']] as const) {
      if (flag(bit) !== want) fail(`request ${i}: ${what} ${flag(bit)}, reference ${want}`);
    }
    close(out.tlmMs[i]!, r.tlmMs, `request ${i} TLM`);
    close(out.switchMs[i]!, r.switchMs, `request ${i} switch`);
    close(out.prefillMs[i]!, r.prefillMs, `request ${i} prefill`);
    close(out.decodeMs[i]!, r.decodeMs, `request ${i} decode`);
    close(out.tpotMs[i]!, r.tpotMs, `request ${i} TPOT`);
    close(out.ttftMs(i), r.ttftMs, `request ${i} TTFT`);
    close(out.quality[i]!, r.quality, `request ${i} quality`);
    if (out.modelTenths[i]! !== Math.round(r.modelRatio * 10) || out.promptTenths[i]! !== Math.round(r.promptRatio * 10)) fail(`request ${i}: config differs`);
  }
  const late = [...real.dropReasons].filter(([k]) => !rejects.has(k)).reduce((a, [, v]) => a + v, 0);
  for (const [reason, count] of rejects) if (real.dropReasons.get(reason) !== count) fail(`drops for "${reason}": ${real.dropReasons.get(reason)}, reference ${count}`);
  if (late !== ref.outcomes.filter((o) => o.dropReason === 'late').length) fail('late drops differ');
  if (real.switches !== ref.switches) fail(`switches ${real.switches}, reference ${ref.switches}`);
  if (real.peakMemoryBytes !== ref.peakMemoryBytes) fail(`peak memory ${real.peakMemoryBytes}, reference ${ref.peakMemoryBytes}`);

  // the summary metrics, recomputed from the reference outcomes by their definitions
  const m = summarizePolicy('scripted', s.method.accuracyMethod, table, real).overall;
  const served = ref.outcomes.filter((o) => o.served);
  const share = (k: number) => Math.round((k / n) * 1e6) / 1e6;
  const want = {
    requests: n, served: served.length, dropped: n - served.length,
    accuracy: share(served.filter((o) => o.correct).length),
    accuracyUnderSlo: share(served.filter((o) => o.correct && o.ttftOk && o.tpotOk).length),
    ttft: share(served.filter((o) => o.ttftOk).length), tpot: share(served.filter((o) => o.tpotOk).length),
    both: share(served.filter((o) => o.ttftOk && o.tpotOk).length), switches: ref.switches,
  };
  const got = { requests: m.requests, served: m.served, dropped: m.dropped, accuracy: m.accuracy, accuracyUnderSlo: m.accuracyUnderSlo, ...m.sloAttainment, switches: m.switches };
  if (JSON.stringify(got) !== JSON.stringify(want)) fail(`metrics ${JSON.stringify(got)} ≠ reference ${JSON.stringify(want)}`);
  close(m.expectedAccuracy, share(served.reduce((a, o) => a + o.quality, 0)), 'expected accuracy');
  const ttftMean = served.length ? served.reduce((a, o) => a + o.ttftMs, 0) / served.length : 0;
  if (Math.abs(m.ttftMs.mean - ttftMean) > 1e-3 + 1e-6 * ttftMean) fail(`mean TTFT ${m.ttftMs.mean}, reference ${ttftMean}`);
}

class Arrive implements fc.Command<World, World> {
  constructor(readonly r: { dataset: Dataset; systemTokens: number; queryTokens: number; outputTokens: number; slo: Slo }) {}
  check = () => true;
  run(model: World): void {
    model.requests.push({ ...this.r, arrivalMs: model.clockMs, decision: model.decision });
    compare(model);
  }
  toString = () => `arrive(${JSON.stringify(this.r)})`;
}

class SetDecision implements fc.Command<World, World> {
  constructor(readonly level: number, readonly prompt: number, readonly reject: boolean) {}
  check = () => true;
  run(model: World): void {
    model.decision = this.reject ? { reject: `scripted rejection ${this.level}` } : configAt(model.setup.model, this.level, this.prompt);
  }
  toString = () => (this.reject ? `reject(${this.level})` : `config(m=${MODEL_RATIOS[this.level]}, p=${PROMPT_RATIOS[this.prompt]})`);
}

class Advance implements fc.Command<World, World> {
  constructor(readonly ms: number) {}
  check = () => true;
  run(model: World): void {
    model.clockMs += this.ms;
    compare(model);
  }
  toString = () => `advance(${this.ms} ms)`;
}

const commands = [
  fc.record({
    dataset: fc.constantFrom(...DATASETS), systemTokens: fc.integer({ min: 0, max: 1200 }), queryTokens: fc.integer({ min: 1, max: 200 }),
    outputTokens: fc.integer({ min: 1, max: 48 }), slo: fc.oneof(ratioSloArb, msSloArb),
  }).map((r) => new Arrive(r)),
  fc.tuple(fc.integer({ min: 0, max: MODEL_RATIOS.length - 1 }), fc.integer({ min: 0, max: PROMPT_RATIOS.length - 1 }), fc.boolean())
    .map(([l, p, rej]) => new SetDecision(l, p, rej && l < 2)),
  fc.integer({ min: 0, max: 30_000 }).map((ms) => new Advance(ms)),
];

const setupArb: fc.Arbitrary<Setup> = fc.record({
  model: fc.constantFrom(...MODELS),
  device: fc.constantFrom(...PHONES),
  mode: fc.constantFrom('isolated' as const, 'timed' as const),
  queue: fc.constantFrom('fcfs' as const, 'edf' as const),
  onLate: fc.constantFrom('serve' as const, 'drop' as const),
  method: fc.record({ accuracyMethod: fc.constant('elastilm'), switchKind: fc.constantFrom('pointer' as const, 'relayout' as const), usesTlm: fc.boolean() }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

describe('model-based: simulator vs reference loop', () => {
  it(`${NAME} (${RUNS} runs of up to ${MAX_COMMANDS} commands): agrees on order, per-request times, verdicts, drops and metrics`, async () => {
    await assertProperty(
      NAME,
      RUNS,
      fc.property(setupArb, fc.commands(commands, { maxCommands: MAX_COMMANDS }), (setup, cmds) => {
        fc.modelRun(() => ({ model: new World(setup), real: new World(setup) }), cmds);
      }),
    );
  });
});
