/**
 * A deliberately plain reference of the service for the model-based test: one loop over arrivals, a list of
 * waiting requests, one server. No event heap, no typed columns, no shared code with sim/service.ts beyond
 * the cost-model and accuracy interfaces it prices with. What it encodes is the spec (DESIGN.md, "Core
 * semantics"):
 *
 * - a request that finds the device idle starts at its arrival; otherwise it waits, and when the device frees
 *   the discipline picks among the requests that have arrived by then (FCFS: earliest arrival; EDF: earliest
 *   arrival + TTFT budget, then arrival, then index); isolated mode starts every request at its arrival;
 * - service = TLM (if the method uses one) + switch (if the shape differs from the resident one) + prefill of
 *   the kept prompt + decode of outputTokens − 1 steps; TTFT counts from arrival;
 * - a rejected request, or one predicted late under onLate "drop", takes no device time and changes nothing.
 */
import type { ExecShape, LatencyModel } from '../../cost-models/types.ts';
import type { AccuracySurface } from '../../cost-models/accuracy/types.ts';
import type { Config, Dataset, MethodSpec, Slo } from '../../sim/types.ts';

export interface RefRequest {
  arrivalMs: number;
  dataset: Dataset;
  systemTokens: number;
  queryTokens: number;
  outputTokens: number;
  slo: Slo;
  /** What the (scripted) policy answers for this request. */
  decision: Config | { reject: string };
}

export interface RefEnv {
  mode: 'isolated' | 'timed';
  queue: 'fcfs' | 'edf';
  onLate: 'serve' | 'drop';
  method: MethodSpec;
  model: string;
  full: ExecShape;
  latency: LatencyModel;
  accuracy: AccuracySurface;
  draws: Float64Array;
  residentBytes: number;
  kvBytes(shape: ExecShape, tokens: number): number;
}

export interface RefOutcome {
  served: boolean;
  dropReason: string | null;
  startMs: number;
  endMs: number;
  queueMs: number;
  tlmMs: number;
  switchMs: number;
  prefillMs: number;
  decodeMs: number;
  tpotMs: number;
  ttftMs: number;
  ttftBudgetMs: number;
  tpotBudgetMs: number;
  ttftOk: boolean;
  tpotOk: boolean;
  quality: number;
  correct: boolean;
  switched: boolean;
  modelRatio: number;
  promptRatio: number;
}

export interface RefResult {
  outcomes: RefOutcome[];
  /** Request indices in the order the device took them up (dropped ones included). */
  order: number[];
  switches: number;
  peakMemoryBytes: number;
}

/** The artifact's compression rule: only the system prompt shrinks, keeping int(r_sys·S) + 1 tokens. */
function promptKept(s: number, q: number, p: number): number {
  if (p >= 1 || s === 0) return s + q;
  const rSys = Math.max(0, ((s + q) * p - q) / s);
  return Math.min(s, Math.floor(rSys * s) + 1) + q;
}

const sameShape = (a: ExecShape | null, b: ExecShape): boolean =>
  a !== null && JSON.stringify([a.arch, a.modelRatio, a.attnLayers, a.mlpLayers, a.ffnDensity, a.lora]) ===
    JSON.stringify([b.arch, b.modelRatio, b.attnLayers, b.mlpLayers, b.ffnDensity, b.lora]);

export function referenceRun(reqs: readonly RefRequest[], env: RefEnv): RefResult {
  const L = env.latency;
  const budgets = reqs.map((r) => {
    if (r.slo.unit === 'ms') return { ttft: r.slo.ttft, tpot: r.slo.tpot };
    const prompt = r.systemTokens + r.queryTokens;
    const steps = Math.max(1, r.outputTokens - 1);
    return { ttft: r.slo.ttft * L.prefillMs(env.full, prompt), tpot: (r.slo.tpot * L.decodeMs(env.full, prompt, steps)) / steps };
  });
  const outcomes: RefOutcome[] = [];
  const order: number[] = [];
  let resident: ExecShape | null = null;
  let switches = 0;
  let peak = 0;

  /** Serves request i starting at `start`; returns the device time it takes (0 when dropped). */
  const serve = (i: number, start: number): number => {
    const r = reqs[i]!;
    const b = budgets[i]!;
    order.push(i);
    const base: RefOutcome = {
      served: false, dropReason: null, startMs: start, endMs: start, queueMs: start - r.arrivalMs, tlmMs: 0, switchMs: 0,
      prefillMs: 0, decodeMs: 0, tpotMs: 0, ttftMs: 0, ttftBudgetMs: b.ttft, tpotBudgetMs: b.tpot, ttftOk: false,
      tpotOk: false, quality: 0, correct: false, switched: false, modelRatio: 0, promptRatio: 0,
    };
    outcomes[i] = base;
    if ('reject' in r.decision) {
      base.dropReason = r.decision.reject;
      return 0;
    }
    const c = r.decision;
    const prompt = promptKept(r.systemTokens, r.queryTokens, c.promptRatio);
    const tlm = env.method.usesTlm ? L.tlmMs(r.systemTokens + r.queryTokens) : 0;
    const sw = sameShape(resident, c.shape) ? 0 : L.switchMs(env.method.switchKind, resident, c.shape);
    const prefill = L.prefillMs(c.shape, prompt);
    const steps = r.outputTokens - 1;
    const decode = steps > 0 ? L.decodeMs(c.shape, prompt, steps) : 0;
    const tpot = steps > 0 ? decode / steps : L.decodeStepMs(c.shape, prompt);
    const ttft = base.queueMs + tlm + sw + prefill;
    const ratioRule = env.mode === 'isolated' && r.slo.unit === 'ratio';
    const ttftOk = ratioRule ? c.promptRatio * c.modelRatio <= r.slo.ttft : ttft <= b.ttft;
    const tpotOk = ratioRule ? c.modelRatio <= r.slo.tpot : tpot <= b.tpot;
    if (env.onLate === 'drop' && !(ttftOk && tpotOk)) {
      base.dropReason = 'late';
      return 0;
    }
    const quality = env.accuracy.quality({ method: env.method.accuracyMethod, model: env.model, dataset: r.dataset, modelRatio: c.modelRatio, promptRatio: c.promptRatio });
    const switched = sw > 0 || (resident !== null && !sameShape(resident, c.shape));
    if (switched) switches++;
    peak = Math.max(peak, env.residentBytes + env.kvBytes(c.shape, prompt + r.outputTokens));
    resident = c.shape;
    const busy = tlm + sw + prefill + decode;
    Object.assign(base, {
      served: true, endMs: start + busy, tlmMs: tlm, switchMs: sw, prefillMs: prefill, decodeMs: decode, tpotMs: tpot, ttftMs: ttft,
      ttftOk, tpotOk, quality, correct: env.draws[i]! < quality, switched, modelRatio: c.modelRatio, promptRatio: c.promptRatio,
    });
    return busy;
  };

  if (env.mode === 'isolated') {
    reqs.forEach((r, i) => serve(i, r.arrivalMs));
  } else {
    const pick = (waiting: number[]): number => {
      let best = 0;
      for (let k = 1; k < waiting.length; k++) {
        const a = waiting[k]!;
        const b = waiting[best]!;
        const key = (x: number) => (env.queue === 'edf' ? [reqs[x]!.arrivalMs + budgets[x]!.ttft, reqs[x]!.arrivalMs, x] : [reqs[x]!.arrivalMs, x]);
        const ka = key(a);
        const kb = key(b);
        const less = ka.findIndex((v, j) => v !== kb[j]);
        if (less >= 0 && ka[less]! < kb[less]!) best = k;
      }
      return waiting.splice(best, 1)[0]!;
    };
    let free = -Infinity;
    let next = 0;
    const waiting: number[] = [];
    while (next < reqs.length || waiting.length > 0) {
      if (waiting.length === 0) {
        const i = next++;
        if (reqs[i]!.arrivalMs >= free) free = reqs[i]!.arrivalMs + serve(i, reqs[i]!.arrivalMs);
        else waiting.push(i);
        continue;
      }
      while (next < reqs.length && reqs[next]!.arrivalMs <= free) waiting.push(next++);
      free += serve(pick(waiting), free);
    }
  }
  return { outcomes, order, switches, peakMemoryBytes: peak };
}
