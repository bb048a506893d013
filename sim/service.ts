/**
 * The elastic LLM service on one device: arrival → queue → dispatch (the policy picks a Config) → TLM →
 * switch → prefill → decode → done, one request on the device at a time. TTFT counts from arrival, so
 * queueing, TLM and switching count against the SLO.
 *
 * Modes:
 * - `isolated` (paper-compatible): every request finds an idle device (no queueing) and SLO ratios are judged
 *   with the paper's rule p·m ≤ ζ_TTFT ∧ m ≤ ζ_TPOT. The resident model still carries over between requests
 *   in trace order, so switches are counted and priced.
 * - `timed`: arrivals over time, queueing, overheads; SLOs judged on predicted latency.
 */
import type { Architecture, ExecShape, LatencyModel } from '../cost-models/types.ts';
import type { AccuracyQuery, AccuracySurface } from '../cost-models/accuracy/types.ts';
import { Engine, type EventHandler, type SimEvent } from './engine.ts';
import type { RequestTable } from './request-table.ts';
import { emptyView } from './request-table.ts';
import type { QueueFactory, RequestQueue } from './queues/queue.ts';
import type { Config, DecisionContext, Policy, RequestView } from './types.ts';
import type { Rng } from '../base/rng.ts';
import { keptPromptTokens } from './prompt.ts';
import {
  OutcomeTable, FLAG_CORRECT, FLAG_DROPPED, FLAG_SERVED, FLAG_SWITCHED, FLAG_TPOT_OK, FLAG_TTFT_OK,
} from './outcomes.ts';

const ARRIVAL = 0;
const DEVICE_FREE = 1;

/** Layout of Service.pricesOfKind: kept prompt tokens, prefill, decode, TPOT, quality, peak memory. */
const PRICE_STRIDE = 8; // 6 used; 8 keeps a kind's prices in one cache line
const P_PROMPT = 0;
const P_PREFILL = 1;
const P_DECODE = 2;
const P_TPOT = 3;
const P_QUALITY = 4;
const P_MEMORY = 5;

export interface ServiceOptions {
  mode: 'isolated' | 'timed';
  table: RequestTable;
  policy: Policy;
  arch: Architecture;
  /** Accuracy-surface model key of the scenario's LLM. */
  model: string;
  latency: LatencyModel;
  accuracy: AccuracySurface;
  queue: QueueFactory;
  onLate: 'serve' | 'drop';
  /** The policy's own random stream. */
  rng: Rng;
  /** One uniform per request, shared by all policies (common random numbers for the correct/incorrect draw). */
  correctDraws: Float64Array;
  /** Full-width shape of the scenario's LLM (what SLO ratios refer to). */
  fullShape: ExecShape;
  /** Bytes the method keeps resident (weights, LoRAs, TLM). */
  residentBytes: number;
  /** KV-cache bytes for a shape at a context length. */
  kvBytes(shape: ExecShape, contextTokens: number): number;
  /** Number of timeline samples to record in timed mode (0 = none). */
  timelineSamples: number;
  /**
   * Schedule every DEVICE_FREE event at dispatch, as a plain event loop would, instead of only once someone
   * waits (see Service.freeAt). Results are identical either way; tests run both to prove it.
   */
  eagerDeviceFree?: boolean;
}

export interface ServiceResult {
  outcomes: OutcomeTable;
  switches: number;
  peakMemoryBytes: number;
  events: number;
  dropReasons: Map<string, number>;
  timeline?: { tMs: number[]; queueLength: number[]; residentModelRatio: number[] };
}

function sameShape(a: ExecShape | null, b: ExecShape): boolean {
  if (a === b) return true;
  if (a === null) return false;
  return (
    a.arch === b.arch &&
    a.modelRatio === b.modelRatio &&
    a.attnLayers === b.attnLayers &&
    a.mlpLayers === b.mlpLayers &&
    a.ffnDensity === b.ffnDensity &&
    a.lora === b.lora
  );
}

class Service implements EventHandler {
  private readonly o: ServiceOptions;
  private readonly out: OutcomeTable;
  private readonly queue: RequestQueue;
  private readonly view = emptyView();
  private readonly ctx: DecisionContext;
  private readonly query: AccuracyQuery;
  private busy = false;
  /**
   * When the device frees, and the sequence number its DEVICE_FREE event holds. The event is put on the heap
   * only once someone waits for the device (a request queued behind the one running): most requests find
   * the device idle and nobody arrives while they run, and then the event would change nothing. Its sequence
   * number is reserved at dispatch, so scheduled late it still sits among same-time events where it would
   * have; an arrival that comes after an unscheduled one treats the device as free.
   */
  private freeAt = 0;
  private freeSeq = -1;
  private freeScheduled = false;
  private resident: ExecShape | null = null;
  private next = 0; // next arrival index to stream into the engine
  switches = 0;
  peak = 0;
  readonly dropReasons = new Map<string, number>();
  /**
   * Timeline samples (at most timelineSamples + 1), in typed columns: plain arrays changed element kind from
   * run to run (a ratio column of whole numbers in one run, fractions in the next), which sent the code
   * filling and reading them back to the interpreter in long-lived sweep workers.
   */
  private readonly samplesT: Float64Array;
  private readonly samplesQueue: Float64Array;
  private readonly samplesRatio: Float64Array;
  /** Per request kind (RequestTable.kinds): the full model's TTFT and TPOT on it, NaN until priced. */
  private readonly kindOf: Int32Array;
  private readonly fullTtftOfKind: Float64Array;
  private readonly fullTpotOfKind: Float64Array;
  /** Per request kind: the TLM's time on the whole prompt (methods that use one), NaN until priced. */
  private readonly tlmOfKind: Float64Array;
  /**
   * Per request kind: the config it was last served with, and that config's prices on it (PRICE_STRIDE
   * values: see the P_ offsets; quality NaN until needed). A policy answers most requests of a kind with the
   * same few configs, and these prices depend on the kind and the config alone; what depends on the moment
   * (waiting, switching) is priced every time. Configs are never changed once returned (docs/policies.md).
   */
  private readonly lastConfigOfKind: Array<Config | undefined>;
  private readonly pricesOfKind: Float64Array;
  private sampleEvery = Infinity;
  private nextSample = Infinity;
  private sampleStart = 0;
  private samples = 0;

  constructor(o: ServiceOptions) {
    this.o = o;
    this.out = new OutcomeTable(o.table.length);
    const table = o.table;
    const out = this.out;
    this.queue = o.queue({
      arrivalMs: (i) => table.arrivalMs[i]!,
      deadlineMs: (i) => table.arrivalMs[i]! + out.ttftBudgetMs[i]!,
    });
    this.ctx = {
      nowMs: 0, waitedMs: 0, mode: o.mode, arch: o.arch, latency: o.latency, accuracy: o.accuracy, rng: o.rng,
      resident: null, budget: { ttftMs: 0, tpotMs: 0 }, full: { ttftMs: 0, tpotMs: 0 }, tlmMs: 0,
    };
    const kinds = table.kinds();
    this.kindOf = kinds.kindOf;
    this.fullTtftOfKind = new Float64Array(kinds.count).fill(NaN);
    this.fullTpotOfKind = new Float64Array(kinds.count).fill(NaN);
    this.tlmOfKind = new Float64Array(kinds.count).fill(NaN);
    this.lastConfigOfKind = new Array<Config | undefined>(kinds.count).fill(undefined);
    this.pricesOfKind = new Float64Array(kinds.count * PRICE_STRIDE);
    this.query = { method: o.policy.method.accuracyMethod, model: o.model, dataset: 'OBQA', modelRatio: 1, promptRatio: 1 };
    const n = table.length;
    const samples = o.mode === 'timed' && o.timelineSamples > 0 ? Math.floor(o.timelineSamples) + 1 : 0;
    this.samplesT = new Float64Array(samples);
    this.samplesQueue = new Float64Array(samples);
    this.samplesRatio = new Float64Array(samples);
    if (o.mode === 'timed' && o.timelineSamples > 0 && n > 0) {
      const horizon = table.arrivalMs[n - 1]! - table.arrivalMs[0]!;
      this.sampleEvery = horizon > 0 ? horizon / o.timelineSamples : Infinity;
      this.sampleStart = table.arrivalMs[0]!;
      this.nextSample = this.sampleStart;
    }
  }

  start(engine: Engine): void {
    if (this.o.table.length > 0) engine.schedule(this.o.table.arrivalMs[0]!, ARRIVAL, 0);
  }

  handle(ev: SimEvent, engine: Engine): void {
    while (engine.now >= this.nextSample) this.sample();
    if (ev.kind === ARRIVAL) {
      const i = ev.req;
      // the device freed before this arrival, with nobody waiting: its unscheduled DEVICE_FREE event. (At a tie
      // the arrival comes first: no arrival was handled since the dispatch, or someone would be waiting, so this
      // one's event was scheduled before the dispatch reserved the DEVICE_FREE's number.)
      if (this.busy && !this.freeScheduled && this.freeAt < engine.now) this.busy = false;
      // stream the next arrival: only one pending arrival event at a time keeps the heap tiny
      if (++this.next < this.o.table.length) engine.schedule(this.o.table.arrivalMs[this.next]!, ARRIVAL, this.next);
      this.setBudget(i);
      if (this.o.mode === 'isolated') {
        this.dispatch(i, engine.now);
      } else {
        this.queue.push(i);
        if (!this.busy) this.startNext(engine);
        else if (!this.freeScheduled) this.scheduleFree(engine);
      }
    } else if (ev.kind === DEVICE_FREE) {
      this.busy = false;
      this.freeScheduled = false;
      if (this.queue.size > 0) this.startNext(engine);
    }
  }

  private scheduleFree(engine: Engine): void {
    engine.scheduleReserved(this.freeAt, DEVICE_FREE, -1, this.freeSeq);
    this.freeScheduled = true;
  }

  /** After the last event: the samples an unscheduled last DEVICE_FREE event would have taken. */
  finish(): void {
    if (this.busy && !this.freeScheduled) while (this.freeAt >= this.nextSample) this.sample();
  }

  /**
   * Records one timeline sample. Sample k sits at start + k·interval (computed, not accumulated, so tiny
   * intervals on large timestamps cannot stall), and there are at most timelineSamples + 1 of them.
   */
  private sample(): void {
    this.samplesT[this.samples] = this.nextSample;
    this.samplesQueue[this.samples] = this.queue.size;
    this.samplesRatio[this.samples] = this.resident ? this.resident.modelRatio : 0;
    this.samples++;
    const next = this.sampleStart + this.samples * this.sampleEvery;
    this.nextSample = this.samples > this.o.timelineSamples || !(next > this.nextSample) ? Infinity : next;
  }

  /** Resolves the request's SLO into millisecond budgets (ratios refer to the full model on this request). */
  private setBudget(i: number): void {
    const t = this.o.table;
    const c = t.classes[t.classIndex[i]!]!;
    const k = this.kindOf[i]!;
    let fullTtft = this.fullTtftOfKind[k]!;
    let fullTpot = this.fullTpotOfKind[k]!;
    if (fullTtft !== fullTtft) {
      const prompt = t.systemTokens[i]! + t.queryTokens[i]!;
      const steps = Math.max(1, t.outputTokens[i]! - 1);
      this.fullTtftOfKind[k] = fullTtft = this.o.latency.prefillMs(this.o.fullShape, prompt);
      this.fullTpotOfKind[k] = fullTpot = this.o.latency.decodeMs(this.o.fullShape, prompt, steps) / steps;
    }
    const b = this.ctx.budget;
    if (c.slo.unit === 'ratio') {
      b.ttftMs = c.slo.ttft * fullTtft;
      b.tpotMs = c.slo.tpot * fullTpot;
    } else {
      b.ttftMs = c.slo.ttft;
      b.tpotMs = c.slo.tpot;
    }
    this.ctx.full.ttftMs = fullTtft;
    this.ctx.full.tpotMs = fullTpot;
    this.out.ttftBudgetMs[i] = b.ttftMs;
    this.out.tpotBudgetMs[i] = b.tpotMs;
  }

  /** Serves the next queued request; dropped ones take no device time, so the loop moves on at once. */
  private startNext(engine: Engine): void {
    while (this.queue.size > 0) {
      const i = this.queue.pop(engine.now);
      if (this.dispatch(i, engine.now)) {
        this.busy = true;
        this.freeAt = engine.now + this.busyFor;
        this.freeSeq = engine.reserve();
        this.freeScheduled = false;
        if (this.queue.size > 0 || this.o.eagerDeviceFree === true) this.scheduleFree(engine);
        return;
      }
    }
  }

  /** Device time the last dispatched request occupies (a field, not a return value: doubles returned box). */
  private busyFor = 0;

  /** Decides and prices request i; false when it is dropped, else its device time is left in busyFor. */
  private dispatch(i: number, now: number): boolean {
    const o = this.o;
    const t = o.table;
    const out = this.out;
    const view = t.view(i, this.view);
    const ctx = this.ctx;
    const waited = now - view.arrivalMs;
    if (o.mode === 'timed') {
      // the budget was resolved at arrival; restore it (other arrivals reused the context since)
      ctx.budget.ttftMs = out.ttftBudgetMs[i]!;
      ctx.budget.tpotMs = out.tpotBudgetMs[i]!;
      if (view.slo.unit === 'ratio') {
        ctx.full.ttftMs = ctx.budget.ttftMs / view.slo.ttft;
        ctx.full.tpotMs = ctx.budget.tpotMs / view.slo.tpot;
      } else {
        // priced at arrival (setBudget)
        ctx.full.ttftMs = this.fullTtftOfKind[this.kindOf[i]!]!;
        ctx.full.tpotMs = this.fullTpotOfKind[this.kindOf[i]!]!;
      }
    }
    ctx.nowMs = now;
    ctx.waitedMs = waited;
    ctx.resident = this.resident;
    out.order[out.dispatched++] = i;
    out.queueMs[i] = waited;
    const method = o.policy.method;
    const k = this.kindOf[i]!;
    let tlm = 0;
    if (method.usesTlm) {
      tlm = this.tlmOfKind[k]!;
      if (tlm !== tlm) this.tlmOfKind[k] = tlm = o.latency.tlmMs(view.systemTokens + view.queryTokens);
    }
    ctx.tlmMs = tlm;
    const d = o.policy.decide(view, ctx);
    if ('reject' in d) return this.drop(i, d.reject);

    const prices = this.pricesOfKind;
    const at = k * PRICE_STRIDE;
    if (this.lastConfigOfKind[k] !== d) this.priceConfig(view, d, k);
    const prompt = prices[at + P_PROMPT]!;
    const prefill = prices[at + P_PREFILL]!;
    const decode = prices[at + P_DECODE]!;
    const tpot = prices[at + P_TPOT]!;
    const same = sameShape(this.resident, d.shape);
    const switching = same ? 0 : o.latency.switchMs(method.switchKind, this.resident, d.shape);
    const ttft = waited + tlm + switching + prefill;

    let ttftOk: boolean;
    let tpotOk: boolean;
    if (o.mode === 'isolated' && view.slo.unit === 'ratio') {
      ttftOk = d.promptRatio * d.modelRatio <= view.slo.ttft;
      tpotOk = d.modelRatio <= view.slo.tpot;
    } else {
      ttftOk = ttft <= ctx.budget.ttftMs;
      tpotOk = tpot <= ctx.budget.tpotMs;
    }
    if (o.onLate === 'drop' && !(ttftOk && tpotOk)) return this.drop(i, 'late: predicted to miss its SLO');

    let quality = prices[at + P_QUALITY]!;
    if (quality !== quality) prices[at + P_QUALITY] = quality = this.qualityOf(view.appIndex, view.dataset, d);

    let flags = FLAG_SERVED;
    if (ttftOk) flags |= FLAG_TTFT_OK;
    if (tpotOk) flags |= FLAG_TPOT_OK;
    if (o.correctDraws[i]! < quality) flags |= FLAG_CORRECT;
    if (switching > 0 || (this.resident !== null && !same)) {
      flags |= FLAG_SWITCHED;
      this.switches++;
    }
    out.tlmMs[i] = tlm;
    out.switchMs[i] = switching;
    out.prefillMs[i] = prefill;
    out.decodeMs[i] = decode;
    out.tpotMs[i] = tpot;
    out.quality[i] = quality;
    out.promptTokens[i] = prompt;
    out.modelTenths[i] = Math.round(d.modelRatio * 10);
    out.promptTenths[i] = Math.round(d.promptRatio * 10);
    out.flags[i] = flags;

    const memory = prices[at + P_MEMORY]!;
    if (memory > this.peak) this.peak = memory;
    this.resident = d.shape;
    this.busyFor = tlm + switching + prefill + decode;
    if (!(this.busyFor >= 0)) {
      // the engine would refuse the DEVICE_FREE event in the past, but it is scheduled only once someone waits
      throw new Error(
        `request ${view.id}: device time is ${this.busyFor} ms (TLM ${tlm}, switch ${switching}, prefill ${prefill}, decode ${decode}); the latency model must price every step as a number ≥ 0`,
      );
    }
    return true;
  }

  /** Prices config d on request kind k (the request in `view`) into pricesOfKind, and remembers d for k. */
  private priceConfig(view: RequestView, d: Config, k: number): void {
    const lat = this.o.latency;
    const at = k * PRICE_STRIDE;
    const prices = this.pricesOfKind;
    const prompt = keptPromptTokens(view.systemTokens, view.queryTokens, d.promptRatio);
    const steps = view.outputTokens > 1 ? view.outputTokens - 1 : 0;
    const decode = steps > 0 ? lat.decodeMs(d.shape, prompt, steps) : 0;
    prices[at + P_PROMPT] = prompt;
    prices[at + P_PREFILL] = lat.prefillMs(d.shape, prompt);
    prices[at + P_DECODE] = decode;
    prices[at + P_TPOT] = steps > 0 ? decode / steps : lat.decodeStepMs(d.shape, prompt);
    prices[at + P_QUALITY] = NaN; // priced when a request is served with it (an unknown key throws only then)
    prices[at + P_MEMORY] = this.o.residentBytes + this.o.kvBytes(d.shape, prompt + view.outputTokens);
    this.lastConfigOfKind[k] = d;
  }

  /**
   * Expected quality of a config for a request class. Configs on the tenths grid of the scenario's own model
   * (every elastic policy's) are cached per (class, model tenths, prompt tenths): surfaces are fixed for a
   * run and bilinear lookups are the costliest part of pricing a request.
   */
  private qualityCache = new Float64Array(0);
  private qualityOf(classIndex: number, dataset: RequestView['dataset'], d: Config): number {
    const mr = d.accuracyModelRatio ?? d.modelRatio;
    const m10 = Math.round(mr * 10);
    const p10 = Math.round(d.promptRatio * 10);
    const cacheable = d.accuracyModel === undefined && m10 === mr * 10 && p10 === d.promptRatio * 10;
    const key = (classIndex * 11 + m10) * 11 + p10;
    if (cacheable && key < this.qualityCache.length) {
      const v = this.qualityCache[key]!;
      if (v === v) return v;
    }
    const q = this.query;
    q.dataset = dataset;
    q.model = d.accuracyModel ?? this.o.model;
    q.modelRatio = mr;
    q.promptRatio = d.promptRatio;
    const v = this.o.accuracy.quality(q);
    if (cacheable) {
      if (key >= this.qualityCache.length) {
        const grown = new Float64Array((this.o.table.classes.length + 1) * 121).fill(NaN);
        grown.set(this.qualityCache);
        this.qualityCache = grown;
      }
      this.qualityCache[key] = v;
    }
    return v;
  }

  private drop(i: number, reason: string): false {
    this.out.flags[i] = FLAG_DROPPED;
    this.dropReasons.set(reason, (this.dropReasons.get(reason) ?? 0) + 1);
    return false;
  }

  result(events: number): ServiceResult {
    return {
      outcomes: this.out,
      switches: this.switches,
      peakMemoryBytes: this.peak,
      events,
      dropReasons: this.dropReasons,
      timeline:
        this.o.mode === 'timed' && this.o.timelineSamples > 0
          ? {
              tMs: Array.from(this.samplesT.subarray(0, this.samples)),
              queueLength: Array.from(this.samplesQueue.subarray(0, this.samples)),
              residentModelRatio: Array.from(this.samplesRatio.subarray(0, this.samples)),
            }
          : undefined,
    };
  }
}

/** Runs one policy over a request table. Requests must be sorted by arrival. */
export function simulate(o: ServiceOptions): ServiceResult {
  if (!o.table.isSortedByArrival()) throw new Error('requests must be sorted by arrival time');
  const engine = new Engine();
  const service = new Service(o);
  service.start(engine);
  engine.run(service);
  service.finish();
  return service.result(engine.processed);
}
